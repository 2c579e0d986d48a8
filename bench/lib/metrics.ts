import { request } from './http.js';

/** The portal's /metrics (Prometheus text), parsed into samples; the harness compares snapshots. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class Snapshot {
  constructor(readonly samples: Sample[]) {}

  /** Sum of the samples of `name` whose labels include `where`. */
  sum(name: string, where: Record<string, string> = {}): number {
    let total = 0;
    for (const s of this.samples) {
      if (s.name !== name) continue;
      if (Object.entries(where).every(([k, v]) => s.labels[k] === v)) total += s.value;
    }
    return total;
  }

  /** Values of `name` grouped by one label. */
  by(name: string, label: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.samples) {
      if (s.name !== name) continue;
      const k = s.labels[label] ?? '';
      out[k] = (out[k] ?? 0) + s.value;
    }
    return out;
  }
}

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Snapshot {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return new Snapshot(samples);
}

export async function scrape(baseUrl: string): Promise<Snapshot> {
  const a = await request(`${baseUrl}/metrics`);
  if (a.status !== 200) throw new Error(`/metrics → ${a.status}`);
  return parseMetrics(a.body);
}

/**
 * Per-label increase of `name` between two snapshots, for every label value present in `after`;
 * `positiveOnly` leaves out the values that did not grow.
 */
export function diffBy(
  before: Snapshot,
  after: Snapshot,
  name: string,
  label: string,
  { positiveOnly = false } = {},
): Record<string, number> {
  const b = before.by(name, label);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.by(name, label))) {
    const diff = v - (b[k] ?? 0);
    if (!positiveOnly || diff > 0) out[k] = diff;
  }
  return out;
}

/** Differences between two snapshots of the counters the report uses. */
export function delta(before: Snapshot, after: Snapshot) {
  const d = (name: string, where?: Record<string, string>) => after.sum(name, where) - before.sum(name, where);
  return {
    // status "open" = refused by the circuit breaker without reaching CRS.
    crsCalls: d('kp_crs_requests_total') - d('kp_crs_requests_total', { status: 'open' }),
    crsByEndpoint: diffBy(before, after, 'kp_crs_requests_total', 'endpoint', { positiveOnly: true }),
    syncRuns: d('kp_sync_runs_total'),
    hits: d('kp_cache_hits_total'),
    misses: d('kp_cache_misses_total'),
    hitsByNs: diffBy(before, after, 'kp_cache_hits_total', 'namespace'),
    missesByNs: diffBy(before, after, 'kp_cache_misses_total', 'namespace'),
  };
}
