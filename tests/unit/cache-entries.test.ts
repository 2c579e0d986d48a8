import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CacheEntries, CacheEntry } from '../../src/infra/cache/types.js';
import { memoryCache } from '../helpers/cache.js';

/* The entry builders (src/infra/cache/entries.ts), over the memory-only cache. */

const range = { from: '2025-01-01', to: '2025-01-30' };
const other = { from: '2025-01-01', to: '2025-01-31' };
const query = { sort: 'createdAt', order: 'desc', page: 1, pageSize: 20 };

/** One entry of every kind a user owns, named for the assertions. */
function userEntries(e: CacheEntries, userId: string, keyId: string): Record<string, CacheEntry<unknown>> {
  return {
    keyList: e.keyList({ userId, query }),
    usageAll: e.usage({ userId, range }),
    usageKey: e.usage({ userId, range, keyId }),
    compare: e.compare({ userId, range, keyIds: [keyId, `${keyId}-b`] }),
    compareKey: e.compareKey({ userId, range, keyId }),
    keyIndex: e.keyIndex(userId),
    leaderboard: e.leaderboard({ userId, everyone: false, sortBy: 'tokens', limit: 10 }),
    keyModels: e.keyModels({ userId, keyId, range }),
    keyRequests: e.keyRequests({ userId, keyId }),
  } as Record<string, CacheEntry<unknown>>;
}

function sharedEntries(e: CacheEntries): Record<string, CacheEntry<unknown>> {
  return {
    crossUserBoard: e.leaderboard({ userId: 'u1', everyone: true, sortBy: 'tokens', limit: 10 }),
    crsDashboard: e.crsDashboard(),
    crsTrend: e.crsTrend(),
    session: e.session('token-hash-1'),
  } as Record<string, CacheEntry<unknown>>;
}

/** Loads every entry with a value naming it; returns the names. */
async function loadAll(entries: Record<string, CacheEntry<unknown>>, tag: string): Promise<void> {
  for (const [name, entry] of Object.entries(entries)) await entry.getOrLoad(async () => `${tag}/${name}`);
}

const cached = (entries: Record<string, CacheEntry<unknown>>) =>
  Object.fromEntries(Object.entries(entries).map(([name, entry]) => [name, entry.peek()?.value]));

describe('cache entry builders', () => {
  it('give distinct kinds, and distinct arguments, distinct entries', async () => {
    const { entries: e } = await memoryCache();
    const all = [
      ...Object.values(userEntries(e, 'u1', 'k1')),
      ...Object.values(userEntries(e, 'u2', 'k2')),
      ...Object.values(sharedEntries(e)),
      // Arguments that a naive join would confuse with the ones above.
      e.usage({ userId: 'u1', range, keyId: 'all' }),
      e.usage({ userId: 'u1', range: other }),
      e.usage({ userId: 'u1:2025-01-01', range: { from: '2025-01-30', to: '' } }),
      e.compare({ userId: 'u1', range, keyIds: ['k1,k1-b'] }),
      e.compare({ userId: 'u1', range, keyIds: ['k1:k1-b'] }),
      e.leaderboard({ userId: 'all', everyone: false, sortBy: 'tokens', limit: 10 }),
      e.leaderboard({ userId: 'u1', everyone: false, sortBy: 'tokens', limit: 20 }),
      e.keyList({ userId: 'u1', query: { ...query, status: 'active' } }),
      e.keyList({ userId: 'u1', query: { ...query, search: 'createdAt:desc' } }),
      e.session('u1'),
    ];
    const ids = all.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);

    // And in the cache itself: each entry holds its own value.
    for (const [i, entry] of all.entries()) await entry.getOrLoad(async () => `v${i}` as never);
    expect(all.map((entry) => entry.peek()?.value)).toEqual(all.map((_, i) => `v${i}`));
  });

  it('invalidateUser drops exactly that user’s entries, of every kind', async () => {
    const cache = await memoryCache();
    const [mine, theirs, shared] = [
      userEntries(cache.entries, 'u1', 'k1'),
      userEntries(cache.entries, 'u2', 'k2'),
      sharedEntries(cache.entries),
    ];
    for (const [entries, tag] of [
      [mine, 'u1'],
      [theirs, 'u2'],
      [shared, 'shared'],
    ] as const) {
      await loadAll(entries, tag);
    }

    await cache.invalidateUser('u1');

    expect(Object.values(cached(mine)).every((v) => v === undefined)).toBe(true);
    expect(cached(theirs)).toEqual(Object.fromEntries(Object.keys(theirs).map((n) => [n, `u2/${n}`])));
    expect(cached(shared)).toEqual(Object.fromEntries(Object.keys(shared).map((n) => [n, `shared/${n}`])));
  });

  it('invalidateKey drops the entries of that key only; invalidateCrossUser the cross-user board only', async () => {
    const cache = await memoryCache();
    const mine = userEntries(cache.entries, 'u1', 'k1');
    const shared = sharedEntries(cache.entries);
    await loadAll(mine, 'u1');
    await loadAll(shared, 'shared');

    await cache.invalidateKey('k1');
    const keyed = ['usageKey', 'compareKey', 'keyModels', 'keyRequests'];
    for (const [name, value] of Object.entries(cached(mine))) {
      expect([name, value]).toEqual([name, keyed.includes(name) ? undefined : `u1/${name}`]);
    }

    await cache.invalidateCrossUser();
    expect(cached(shared)).toEqual({
      crossUserBoard: undefined,
      crsDashboard: 'shared/crsDashboard',
      crsTrend: 'shared/crsTrend',
      session: 'shared/session',
    });
    expect(cached(mine).keyList).toBe('u1/keyList');
  });

  it('deletes one session, not another', async () => {
    const { entries: e } = await memoryCache();
    await e.session('h1').getOrLoad(async () => null);
    await e.session('h2').getOrLoad(async () => null);
    await e.session('h1').delete();
    expect(e.session('h1').peek()).toBeUndefined();
    expect(e.session('h2').peek()).toEqual({ value: null, stale: false });
  });
});

describe('the rule: only the entry builders spell cache keys', () => {
  it('no file outside src/infra/cache reaches the raw namespaces', () => {
    const root = join(import.meta.dirname, '../../src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, d.name);
        if (d.isDirectory()) walk(path);
        else if (d.name.endsWith('.ts') && !relative(root, path).startsWith('infra/cache/')) {
          const text = readFileSync(path, 'utf8');
          if (/\bNamespaceCache\b|\bCacheEngine\b|\.namespaces\b|\.getOrLoad\(\s*\[/.test(text)) {
            offenders.push(relative(root, path));
          }
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
