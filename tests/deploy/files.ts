import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

/** The repository's deploy kit, read the way CI sees it (paths from the repository root). */
export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const DEPLOY = path.join(ROOT, 'deploy');

export const readText = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

/** One YAML file as a single document; a syntax error fails with the file's name. */
export function readYaml(rel: string): unknown {
  try {
    return parseYaml(readText(rel));
  } catch (e) {
    throw new Error(`${rel}: ${(e as Error).message}`);
  }
}

export interface ManifestDoc {
  file: string;
  index: number;
  doc: Record<string, unknown>;
}

/** Every document of every YAML file under deploy/kubernetes, each with where it came from. */
export function kubernetesDocs(): ManifestDoc[] {
  const dir = path.join(DEPLOY, 'kubernetes');
  const out: ManifestDoc[] = [];
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const file = `deploy/kubernetes/${name}`;
    parseAllDocuments(readText(file)).forEach((d, index) => {
      if (d.errors.length) throw new Error(`${file} document ${index + 1}: ${d.errors[0].message}`);
      const doc = d.toJS() as Record<string, unknown> | null;
      if (doc) out.push({ file, index, doc });
    });
  }
  return out;
}

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export const ALERT_RULES_FILE = 'deploy/prometheus/alerts.yml';
export const DASHBOARD_FILE = 'deploy/grafana/claude-key-portal.json';

export function alertRules(): Rule[] {
  const file = readYaml(ALERT_RULES_FILE) as { groups: Array<{ name: string; rules: Rule[] }> };
  return file.groups.flatMap((g) => g.rules);
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ refId: string; expr: string; datasource?: { uid: string } }>;
}

export function dashboard(): { uid: string; title: string; panels: Panel[]; templating: { list: { name: string }[] } } {
  return JSON.parse(readText(DASHBOARD_FILE));
}

/** Grafana's built-in interval variables, replaced by a plain duration so the PromQL parser can read the query. */
export function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m');
}

/** Every PromQL expression of the kit, named by where it lives. */
export function promqlExpressions(): Array<{ where: string; expr: string }> {
  const rules = alertRules().map((r) => ({ where: `${ALERT_RULES_FILE} ${r.alert ?? r.record}`, expr: r.expr }));
  const panels = dashboard().panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({
      where: `${DASHBOARD_FILE} "${p.title}" ${t.refId}`,
      expr: withoutGrafanaVariables(t.expr),
    })),
  );
  return [...rules, ...panels];
}
