import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { alertRules, promqlExpressions } from './files.js';
import { parsePromql } from './promql.js';

/**
 * Every metric the alert rules and the Grafana dashboard name must exist on the portal's real /metrics:
 * a renamed metric otherwise leaves a silent rule (PromQL over a missing series is just empty).
 */
const t = await createTestApp();

/** Series names a scrape yields, from the `# TYPE` lines (histograms and summaries add their suffixes). */
async function exposedNames(): Promise<Set<string>> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  const names = new Set<string>();
  for (const [, name, type] of res.body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}

/** Written by Prometheus itself for every scrape target, never by the target. */
const SCRAPE_SERIES = new Set(['up']);
/** Added by issue 11 part A (branch rel-runtime, the job lease): missing here until that branch is merged. */

const named = [...new Set(promqlExpressions().flatMap((e) => parsePromql(e.expr).metrics))]
  .filter((m) => !SCRAPE_SERIES.has(m))
  .sort();

describe('metrics named by deploy/ exist on /metrics', () => {
  it('the kit names the portal’s own metrics and Node’s', () => {
    expect(named).toEqual(expect.arrayContaining(['kp_http_request_duration_seconds_bucket', 'kp_leader']));
    expect(named.some((m) => m.startsWith('nodejs_'))).toBe(true);
  });

  it.each(named)('%s', async (name) => {
    const exposed = await exposedNames();
    expect(exposed.has(name), `${name} is used in deploy/ but the portal's /metrics does not expose it`).toBe(true);
  });

  it('every alert the portal computes has a Prometheus rule mirroring it', async () => {
    await t.app.services.admin.alerts.evaluate({ row: undefined, failuresInARow: 0 }); // sets kp_alert_active for every alert name
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const computed = [...text.matchAll(/^kp_alert_active\{alert="([^"]+)"\}/gm)].map((m) => m[1]);
    expect(computed.length).toBeGreaterThan(0);
    const mirrored = new Set(alertRules().map((r) => r.labels?.portal_alert));
    expect(computed.filter((a) => !mirrored.has(a))).toEqual([]);
  });
});
