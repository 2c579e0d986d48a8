import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

/**
 * Real CRS builds usage-stats and the per-key trend from Redis replies, so it answers other calls meanwhile; the
 * sync reads list pages while those are in flight. The emulator gives its event loop turns while building them
 * (src/crs-emulator/turns.ts); before it did, one 100,000-key trend held every other call for over 10 s.
 */
describe('big fan-out answers leave room for other calls', () => {
  const KEYS = 20_000;

  async function world() {
    const h = await harness();
    for (let i = 0; i < KEYS; i++) h.emu.store.createKey({ name: `k${i}`, tags: ['portal'] });
    for (const id of h.emu.store.keys.keys.keys()) {
      h.emu.store.seedHistory(id, { days: 31, requestsPerDay: 2, seed: 7 });
    }
    return h;
  }

  /** Starts `path`, and once CRS has it in hand asks for a list page: which of the two answers first? */
  async function race(h: Awaited<ReturnType<typeof world>>, route: string, path: string) {
    const order: string[] = [];
    const big = fetch(`${h.emu.url}${path}`, { headers: { authorization: `Bearer ${h.token}` } }).then(async (res) => {
      order.push('big');
      return { status: res.status, body: JSON.parse(await res.text()) };
    });
    while (h.emu.inFlightPeak(route) < 1) await new Promise((r) => setTimeout(r, 1));
    const page = await h.call('GET', '/admin/api-keys?page=2&pageSize=100&tag=portal&sortBy=createdAt&sortOrder=asc');
    order.push('page');
    return { order, page, big: await big };
  }

  it('a list page is answered while a 31-day trend of 20,000 keys is being built, and the trend is whole', async () => {
    const h = await world();
    const { order, page, big } = await race(
      h,
      'GET /admin/api-keys-usage-trend',
      '/admin/api-keys-usage-trend?granularity=day&days=31',
    );
    expect(order).toEqual(['page', 'big']);
    expect(page.status).toBe(200);
    expect(page.body.data.items).toHaveLength(100);
    expect(big.status).toBe(200);
    // Sent in parts (one per day): still one JSON document, every day and key in it.
    expect(big.body.data).toHaveLength(31);
    expect(big.body.totalApiKeys).toBe(KEYS);
    const perDay = big.body.data.map((d: { apiKeys: object }) => Object.keys(d.apiKeys).length);
    expect(Math.max(...perDay)).toBeGreaterThan(0);
  });

  it('a list page is answered while usage-stats of 20,000 keys is being built', async () => {
    const h = await world();
    const { order, big } = await race(h, 'GET /admin/usage-stats', '/admin/usage-stats');
    expect(order).toEqual(['page', 'big']);
    expect(big.body.data.stats).toHaveLength(KEYS);
  });
});
