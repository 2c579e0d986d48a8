import { describe, expect, it } from 'vitest';
import { alertRules, dashboard, promqlExpressions } from './files.js';
import { parsePromql } from './promql.js';

const rules = alertRules();
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JavaScript template.
const DATASOURCE_VARIABLE = '${datasource}';
const expressions = promqlExpressions();

describe('PromQL of the alert rules and the dashboard', () => {
  it('the parser refuses broken PromQL and finds the metrics of a valid one', () => {
    expect(parsePromql('sum(rate(kp_cache_hits_total[5m])').errors).not.toEqual([]);
    expect(parsePromql('rate(kp_b[5m]) >').errors).not.toEqual([]);
    expect(parsePromql('kp_a{x=}').errors).not.toEqual([]);
    const ok = parsePromql('histogram_quantile(0.95, sum by (le) (rate(kp_x_bucket{a=~"b"}[5m]))) > time() - kp_y');
    expect(ok).toEqual({ errors: [], metrics: ['kp_x_bucket', 'kp_y'] });
  });

  it.each(expressions.map((e) => [e.where, e.expr]))('%s parses', (_where, expr) => {
    const parsed = parsePromql(expr);
    expect(parsed.errors).toEqual([]);
    expect(parsed.metrics.length).toBeGreaterThan(0);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  it('names every rule once, with a severity, a `for` and words for the person paged', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(r.alert, JSON.stringify(r)).toMatch(/^KeyPortal[A-Z]\w+$/);
      expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical'], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.description, r.alert).toBeTruthy();
    }
  });

  it('covers what the portal and the issue ask to be alerted on', () => {
    const byMetric = (m: string) => rules.filter((r) => parsePromql(r.expr).metrics.includes(m)).map((r) => r.alert);
    expect(byMetric('kp_cache_hits_total')).toContain('KeyPortalCacheHitRateLow');
    expect(byMetric('kp_http_request_duration_seconds_bucket')).toContain('KeyPortalRouteLatencyHigh');
    expect(byMetric('kp_sync_runs_total')).toContain('KeyPortalSyncFailing');
    expect(byMetric('kp_sync_last_success_timestamp_seconds')).toContain('KeyPortalSyncStale');
    expect(byMetric('kp_crs_requests_total')).toEqual(expect.arrayContaining(['KeyPortalCrsErrors']));
    expect(byMetric('up')).toContain('KeyPortalInstanceDown');
    expect(byMetric('kp_leader')).toContain('KeyPortalNoLeader');
    const redisMemory = rules.find((r) => r.labels?.portal_alert === 'redis_memory_high');
    expect(redisMemory?.expr).toContain('alert="redis_memory_high"');
    // The portal's thresholds (src/domain/admin/alerts.ts): 80 % hit rate, 50 ms p95, in the units of the metrics.
    expect(rules.find((r) => r.alert === 'KeyPortalCacheHitRateLow')?.expr).toMatch(/< 0\.8\b/);
    expect(rules.find((r) => r.alert === 'KeyPortalRouteLatencyHigh')?.expr).toMatch(/> 0\.05\b/);
  });
});

describe('deploy/grafana/claude-key-portal.json', () => {
  const board = dashboard();
  const panels = board.panels.filter((p) => p.type !== 'row');

  it('is an importable dashboard: unique ids, a datasource variable, panels inside the 24-column grid', () => {
    expect(board.uid).toBe('claude-key-portal');
    expect(board.templating.list.map((v) => v.name)).toContain('datasource');
    const ids = board.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      expect(p.datasource?.uid, p.title).toBe(DATASOURCE_VARIABLE);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      // Only Grafana's own interval variables are used; anything else would not resolve on import.
      for (const t of p.targets ?? [])
        expect(t.expr.replace(/\$__(rate_interval|interval|range)\b/g, '')).not.toContain('$');
    }
  });

  it('shows what an operator asks first', () => {
    const metricsOf = (title: string) => {
      const panel = panels.find((p) => p.title === title);
      expect(panel, `panel "${title}"`).toBeDefined();
      return (panel?.targets ?? []).flatMap((t) => parsePromql(t.expr.replace(/\$__\w+/g, '5m')).metrics);
    };
    expect(metricsOf('Requests per second by route')).toContain('kp_http_request_duration_seconds_count');
    expect(metricsOf('p95 latency by API route')).toContain('kp_http_request_duration_seconds_bucket');
    expect(metricsOf('Cache hit rate by namespace')).toEqual(
      expect.arrayContaining(['kp_cache_hits_total', 'kp_cache_misses_total']),
    );
    expect(metricsOf('CRS calls by endpoint and status')).toContain('kp_crs_requests_total');
    expect(metricsOf('CRS p95 latency by endpoint')).toContain('kp_crs_request_duration_seconds_bucket');
    expect(metricsOf('Sync cycle duration')).toContain('kp_sync_duration_seconds_sum');
    expect(metricsOf('Sync cycles by outcome')).toContain('kp_sync_runs_total');
    expect(metricsOf('Last successful sync')).toContain('kp_sync_last_success_timestamp_seconds');
    expect(metricsOf('Redis connection')).toContain('kp_redis_up');
    expect(metricsOf('Portal alerts')).toContain('kp_alert_active');
    expect(metricsOf('Event-loop lag')).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(metricsOf('Memory')).toContain('process_resident_memory_bytes');
  });
});
