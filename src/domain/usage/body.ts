import type { Freshness } from './freshness.js';

/**
 * Stats answers are cached as JSON *without* their closing freshness fields, which change independently of the
 * numbers: `{"range":…,"totals":…` + `,"asOf":"…","stale":false}` is appended per request (a string concat,
 * no JSON work), so a cache hit never carries an outdated `asOf`.
 */
export function openBody(value: Record<string, unknown>): string {
  const json = JSON.stringify(value);
  return json.slice(0, -1);
}

export function closeBody(open: string, f: Freshness, staleFromCache = false): string {
  const asOf = f.asOf === null ? 'null' : `"${f.asOf}"`;
  return `${open},"asOf":${asOf},"stale":${f.stale || staleFromCache}}`;
}
