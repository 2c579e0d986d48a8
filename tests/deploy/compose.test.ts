import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ROOT, readText, readYaml } from './files.js';

/**
 * docker-compose.yml cannot run here (no Docker daemon), so it is checked against the Compose Specification's
 * JSON schema (compose-spec/compose-spec, schema/compose-spec.json, Apache-2.0, as shipped by the dclint package)
 * and for the promises the deployment makes: only the proxy is published, one trusted hop, Redis with password,
 * persistence and LRU eviction, a healthcheck on every service and start-up ordered by health.
 */
// A direct dev dependency, so it sits at the top of node_modules (its package exports do not list the schema).
const schemaPath = path.join(ROOT, 'node_modules', 'dclint', 'schemas', 'compose.schema.json');
// The schema is draft-07, which Ajv speaks by default; it names draft-07 by an https URL Ajv does not register.
const { $schema: _draft07, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8'));
const validateCompose = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** The parts of the Compose file the promises below read (the schema checks the rest). */
interface Service {
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  command?: string[];
  networks?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean }>;
}
const compose = readYaml('docker-compose.yml') as Compose;
const { services } = compose;
const env = (name: string) => services[name].environment ?? {};
const problems = (doc: unknown) =>
  validateCompose(doc) ? [] : (validateCompose.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe('docker-compose.yml', () => {
  it('follows the Compose Specification', () => {
    expect(problems(compose)).toEqual([]);
  });

  it('the schema check refuses a misspelt field or an unknown value', () => {
    const copy = structuredClone(compose);
    Object.assign(copy.services.portal, { depend_on: copy.services.portal.depends_on });
    expect(problems(copy).join('\n')).toMatch(/additional properties/);
    const typed = structuredClone(compose);
    Object.assign(typed.services.portal, { depends_on: { postgres: { condition: 'service_ready' } } });
    expect(problems(typed)).not.toEqual([]);
  });

  it('publishes only the proxy, on 80 and 443', () => {
    const published = Object.entries(services).filter(([, s]) => s.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['proxy']);
    expect(services.proxy.ports?.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['80', '443']));
    expect(services.proxy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(readText('deploy/Caddyfile')).toMatch(/reverse_proxy portal:3000\b/);
  });

  it('runs the portal behind one trusted hop with its public URL', () => {
    const portal = env('portal');
    expect(portal.TRUST_PROXY).toBe('1');
    expect(portal.PUBLIC_URL).toMatch(/^\$\{PUBLIC_URL:\?/);
    expect(portal.HOST).toBe('0.0.0.0');
    expect(portal.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379$/);
  });

  it('gives Redis a password, AOF persistence and a memory ceiling with LRU eviction', () => {
    const args = services.redis.command?.join(' ');
    expect(args).toMatch(/--requirepass \$\{REDIS_PASSWORD:\?/);
    expect(args).toContain('--appendonly yes');
    expect(args).toMatch(/--maxmemory \d+mb/);
    expect(args).toContain('--maxmemory-policy allkeys-lru');
    expect(services.redis.volumes).toContain('redisdata:/data');
  });

  it('keeps PostgreSQL and Redis on an internal network', () => {
    expect(compose.networks.backend.internal).toBe(true);
    expect(services.postgres.networks).toEqual(['backend']);
    expect(services.redis.networks).toEqual(['backend']);
    expect(services.proxy.networks).not.toContain('backend');
  });

  it('has a healthcheck on every service and starts each after what it needs is healthy', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      for (const [dep, cond] of Object.entries(service.depends_on ?? {})) {
        expect(cond, `${name} → ${dep}`).toEqual({ condition: 'service_healthy' });
      }
    }
    expect(Object.keys(services.portal.depends_on ?? {}).sort()).toEqual(['postgres', 'redis']);
    expect(Object.keys(services.proxy.depends_on ?? {})).toEqual(['portal']);
    expect(services.portal.healthcheck?.test.join(' ')).toContain('/readyz');
  });

  it('the image checks liveness only (/livez), so a dependency outage never restarts it', () => {
    const healthcheck = readText('Dockerfile')
      .split('\n')
      .filter((l) => l.startsWith('HEALTHCHECK'));
    expect(healthcheck).toHaveLength(1);
    expect(healthcheck[0]).toContain('/livez');
  });
});
