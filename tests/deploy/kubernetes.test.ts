import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { kubernetesDocs, type ManifestDoc } from './files.js';

/**
 * deploy/kubernetes validated as kubectl would see it: each YAML document against the model of its
 * apiVersion/kind from `kubernetes-models` (the OpenAPI schemas of Kubernetes, compiled), then the wiring
 * between them that no schema checks (selectors, names, probe paths).
 */
interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** The API groups the kit uses; a manifest of another group fails until its models are added here. */
const GROUPS: Record<string, Record<string, unknown>> = {
  v1: core,
  'apps/v1': apps,
  'autoscaling/v2': autoscaling,
  'policy/v1': policy,
  'networking.k8s.io/v1': networking,
};

async function validate(doc: Record<string, unknown>): Promise<void> {
  const model = GROUPS[String(doc.apiVersion)]?.[String(doc.kind)];
  if (typeof model !== 'function') throw new Error(`no Kubernetes model for ${doc.apiVersion} ${doc.kind}`);
  new (model as ModelClass)(doc).validate();
}

const docs = kubernetesDocs();
/** The one document of a kind, typed by its model's interface (validated by the tests below). */
function one<T>(kind: string): T {
  const found = docs.filter((d) => d.doc.kind === kind);
  expect(
    found.map((d) => d.file),
    `exactly one ${kind}`,
  ).toHaveLength(1);
  return found[0].doc as T;
}
const deployment = () => one<apps.IDeployment>('Deployment');
const configMap = () => one<core.IConfigMap>('ConfigMap');
const services = () => docs.map((d): unknown => d.doc).filter((d): d is core.IService => core.Service.is(d));

describe('deploy/kubernetes', () => {
  it('the validator refuses a wrong manifest and an unknown kind', async () => {
    const broken = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two' } };
    await expect(validate(broken)).rejects.toThrow(/replicas/);
    await expect(validate({ apiVersion: 'apps/v1', kind: 'Deploymnet' })).rejects.toThrow(/no Kubernetes model/);
  });

  it.each(docs.map((d): [string, ManifestDoc] => [`${d.file} #${d.index + 1} ${String(d.doc.kind)}`, d]))(
    '%s is a valid Kubernetes object',
    async (_name, { doc }) => {
      await validate(doc);
    },
  );

  it('has what an operator who outgrows one machine needs', () => {
    const kinds = docs.map((d) => String(d.doc.kind));
    for (const kind of [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'ConfigMap',
      'Secret',
      'Ingress',
    ]) {
      expect(kinds).toContain(kind);
    }
    const external = services().filter((d) => d.spec?.type === 'ExternalName');
    expect(external.map((d) => d.metadata?.name).sort()).toEqual(['postgres', 'redis']);
  });

  it('probes readiness on /readyz and liveness on /livez, on the port the container exposes', () => {
    const [container] = deployment().spec?.template.spec?.containers ?? [];
    const portNames = container.ports?.map((p) => p.name);
    expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(container.livenessProbe?.httpGet?.path).toBe('/livez');
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      expect(portNames).toContain(probe?.httpGet?.port);
    }
    const data = configMap().data ?? {};
    expect(container.ports?.[0].containerPort).toBe(Number(data.PORT));
    expect(data.HOST).toBe('0.0.0.0');
    expect(data.TRUST_PROXY).toMatch(/^\d+$/); // a hop count, never "true" (refused at start)
  });

  it('wires the objects to each other by name and label', () => {
    const { metadata, spec } = deployment();
    const podLabels = spec?.template.metadata?.labels ?? {};
    // A selector with no labels would select nothing here: it must name at least one, each matching the pod's.
    const selects = (selector: Record<string, string> = {}) =>
      Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
    expect(selects(spec?.selector.matchLabels)).toBe(true);
    const portal = services().find((d) => d.spec?.type !== 'ExternalName');
    expect(selects(portal?.spec?.selector)).toBe(true);
    expect(selects(one<policy.IPodDisruptionBudget>('PodDisruptionBudget').spec?.selector?.matchLabels)).toBe(true);
    expect(one<autoscaling.IHorizontalPodAutoscaler>('HorizontalPodAutoscaler').spec?.scaleTargetRef).toMatchObject({
      kind: 'Deployment',
      name: metadata?.name,
    });
    expect(spec?.template.spec?.containers[0].envFrom).toEqual(
      expect.arrayContaining([
        { configMapRef: { name: configMap().metadata?.name } },
        { secretRef: { name: one<core.ISecret>('Secret').metadata?.name } },
      ]),
    );
    const backend = one<networking.IIngress>('Ingress').spec?.rules?.[0].http?.paths[0].backend.service;
    expect(backend?.name).toBe(portal?.metadata?.name);
    expect(portal?.spec?.ports?.map((p) => p.name)).toContain(backend?.port?.name);
  });

  it('keeps credentials in the Secret and out of the ConfigMap', () => {
    const secret = Object.keys(one<core.ISecret>('Secret').stringData ?? {});
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'CRS_ADMIN_PASSWORD', 'ADMIN_PASSWORD', 'METRICS_TOKEN']) {
      expect(secret).toContain(name);
    }
    const plain = Object.keys(configMap().data ?? {});
    expect(plain.filter((k) => /PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/.test(k))).toEqual([]);
  });
});
