import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestHistogram } from '../../src/infra/metrics/request-histogram.js';

/** The request-latency histogram keeps its own series (a cheap observe on every request): same output as prom-client's. */
describe('RequestHistogram', () => {
  it('exports exactly what a prom-client Histogram exports for the same observations', async () => {
    const buckets = [0.001, 0.005, 0.05, 1, 30];
    const [ours, theirs] = [new Registry(), new Registry()];
    const fast = new RequestHistogram({ name: 'h_seconds', help: 'latency', buckets, registry: ours });
    const plain = new Histogram({
      name: 'h_seconds',
      help: 'latency',
      labelNames: ['method', 'route', 'status'] as const,
      buckets,
      registers: [theirs],
    });
    const seen: Array<[string, string, number, number]> = [
      ['GET', '/api/keys', 200, 0.0004],
      ['GET', '/api/keys', 200, 0.001],
      ['GET', '/api/keys', 404, 0.02],
      ['POST', '/api/keys', 201, 2],
      ['GET', '/api/stats/usage', 200, 45],
    ];
    for (const [method, route, status, s] of seen) {
      fast.record(method, route, status, s);
      plain.observe({ method, route, status }, s);
    }
    fast.observe({ method: 'GET', route: '/x', status: 500 }, 0.3);
    plain.observe({ method: 'GET', route: '/x', status: 500 }, 0.3);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await fast.get()).toEqual(await plain.get());
    fast.reset();
    plain.reset();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
