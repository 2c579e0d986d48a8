import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { NO_LIMITS } from '../../src/domain/keys/limits.js';
import type { Db } from '../../src/infra/db/client.js';
import { judgeCandidates } from '../../src/infra/db/repos/sync-staged-reads.js';
import {
  analyzeStaging,
  openStaging,
  type StagedUsage,
  stageKeys,
  stageTrend,
  stageUsage,
} from '../../src/infra/db/repos/sync-staging.js';
import {
  keySlices,
  trendSlices,
  writeDailySlice,
  writeTotalsSlice,
} from '../../src/infra/db/repos/sync-usage-writes.js';
import { apiKeys, usageDaily, users } from '../../src/infra/db/schema.js';
import { judge } from '../../src/jobs/sync/judge.js';
import { type ListedKey, listedOf, stagedKey } from '../../src/jobs/sync/plan.js';
import { loadPortalKeys } from '../../src/jobs/sync/rows.js';
import { createTestDatabase } from '../helpers/db.js';
import { listedCrsKey } from '../helpers/sync-fixtures.js';

/*
 * The sync's per-key arithmetic, now SQL over its staging tables (docs/decisions/031): which key rows and daily
 * rows change, and how new tokens split (docs/decisions/002). The cases the pure planKeys/splitWeights/dailyRows
 * were unit-tested with, on a real PostgreSQL, plus the totals of a cycle without usage-stats (decision 032) and
 * the judgement's prefilter.
 */
const database = await createTestDatabase();
const { db } = database;
const now = new Date('2026-11-26T00:00:00Z');
let lock = 9000;

type KeyInit = Partial<typeof apiKeys.$inferInsert> & { crsKeyId: string };

/** A user with these key rows (totals 0, synced, unless given). */
async function setUp(keys: KeyInit[]) {
  const [u] = await db
    .insert(users)
    .values({ email: `u${lock}-${Math.random()}@t.test`, passwordHash: 'x', displayName: 'u' })
    .returning();
  const rows = await db
    .insert(apiKeys)
    .values(
      keys.map((k) => ({
        userId: u.id,
        name: 'k',
        keyPrefix: 'cr_',
        keyLast4: 'abcd',
        limits: NO_LIMITS,
        usageSyncedAt: now,
        ...k,
      })),
    )
    .returning();
  return { user: u, ids: new Map(rows.map((r) => [r.crsKeyId, r.id])) };
}

const usage = (crsKeyId: string, t: Partial<Omit<StagedUsage, 'crsKeyId'>> = {}): StagedUsage => ({
  crsKeyId,
  name: 'k',
  requests: 0,
  tokens: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheCreateTokens: 0,
  cacheReadTokens: 0,
  costMicros: 0,
  ...t,
});

/** One cycle's writes from what is staged: daily rows, then totals (as run-sync.ts runs them). */
async function cycle(
  staged: { listed?: ListedKey[]; usage?: StagedUsage[]; trend?: Array<[string, string, number, number, number]> },
  anchored = true,
) {
  return database.withLeaderLock(lock++, async (session) => {
    await openStaging(session.db);
    await stageKeys(
      session.db,
      (staged.listed ?? []).map((k) => stagedKey(k, 1, now)),
    );
    await stageUsage(session.db, staged.usage ?? []);
    await stageTrend(
      session.db,
      (staged.trend ?? []).map(([crsKeyId, day, requests, tokens, costMicros]) => ({
        crsKeyId,
        day,
        requests,
        tokens,
        costMicros,
      })),
    );
    await analyzeStaging(session.db);
    return session.transaction(async (tx) => {
      const users = new Set<string>();
      let written = 0;
      for (const [from, to] of await trendSlices(tx)) {
        for (const u of (await writeDailySlice(tx, { anchored, from, to })).users) users.add(u);
      }
      for (const slice of await keySlices(tx)) {
        const w = await writeTotalsSlice(tx, { anchored, slice, now });
        written += w.rows;
        for (const u of w.users) users.add(u);
      }
      return { users, written };
    });
  });
}

const key = (id: string) =>
  db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.id, id))
    .then((r) => r[0]);
const days = (id: string) =>
  db.select().from(usageDaily).where(eq(usageDaily.apiKeyId, id)).orderBy(asc(usageDaily.day));

describe('totals and daily rows from the staging tables', () => {
  it('updates only keys whose numbers changed and maps trend days to portal keys', async () => {
    const { ids } = await setUp([{ crsKeyId: 'p1-c1' }, { crsKeyId: 'p1-c2' }, { crsKeyId: 'p1-c3' }]);
    const before = await key(ids.get('p1-c3')!);
    const out = await cycle({
      listed: [
        listedCrsKey({ id: 'p1-c1' }),
        listedCrsKey({ id: 'p1-c2', lastUsedAt: '2026-11-25T10:00:00.000Z' }),
        listedCrsKey({ id: 'p1-c3' }),
      ],
      usage: [usage('p1-c1', { requests: 2, tokens: 30, inputTokens: 10, outputTokens: 20, costMicros: 12346 })],
      trend: [
        ['p1-c1', '2026-11-26', 2, 30, 12346],
        ['other', '2026-11-26', 1, 9, 1_000_000],
      ],
    });
    expect(out?.written).toBe(2);
    expect(await key(ids.get('p1-c1')!)).toMatchObject({ totalTokens: 30, totalRequests: 2, totalCostMicros: 12346 });
    expect((await key(ids.get('p1-c2')!)).lastUsedAt?.toISOString()).toBe('2026-11-25T10:00:00.000Z');
    expect(await key(ids.get('p1-c3')!)).toEqual(before);
    // Weights 1/3, 2/3 (the split of what changed): 10 input, 20 output.
    expect(await days(ids.get('p1-c1')!)).toMatchObject([
      { day: '2026-11-26', requests: 2, tokens: 30, costMicros: 12346, inputTokens: 10, outputTokens: 20 },
    ]);
  });

  it('splits new tokens by what changed, else by the lifetime ratio, else all as input', async () => {
    const { ids } = await setUp([
      { crsKeyId: 'p2-delta', inputTokens: 100, outputTokens: 100, cacheReadTokens: 800, totalTokens: 1000 },
      { crsKeyId: 'p2-reset', inputTokens: 10, totalTokens: 10 },
      { crsKeyId: 'p2-none' },
    ]);
    await cycle({
      usage: [
        usage('p2-delta', { inputTokens: 150, outputTokens: 150, cacheReadTokens: 800, tokens: 1100 }),
        // Counters went down: the lifetime ratio (half and half) stands in.
        usage('p2-reset', { inputTokens: 5, outputTokens: 5, tokens: 10 }),
      ],
      trend: [
        ['p2-delta', '2026-11-26', 1, 100, 0],
        ['p2-reset', '2026-11-26', 1, 100, 0],
        ['p2-none', '2026-11-26', 1, 100, 0],
      ],
    });
    const split = async (crs: string) => {
      const [d] = await days(ids.get(crs)!);
      return [d.inputTokens, d.outputTokens, d.cacheCreateTokens, d.cacheReadTokens];
    };
    expect(await split('p2-delta')).toEqual([50, 50, 0, 0]);
    expect(await split('p2-reset')).toEqual([50, 50, 0, 0]);
    // Not in usage-stats: no split to go by.
    expect(await split('p2-none')).toEqual([100, 0, 0, 0]);
  });

  it('keeps the last totals of a key missing from usage-stats, and writes a key the first time, even unused', async () => {
    const { ids } = await setUp([
      { crsKeyId: 'p3-gone', totalTokens: 5, usageSyncedAt: null },
      { crsKeyId: 'p3-new', usageSyncedAt: null },
    ]);
    const out = await cycle({ listed: [listedCrsKey({ id: 'p3-new' })], usage: [usage('p3-new')] });
    expect(out?.written).toBe(2);
    expect(await key(ids.get('p3-gone')!)).toMatchObject({ totalTokens: 5, usageSyncedAt: now });
    expect(await key(ids.get('p3-new')!)).toMatchObject({ totalTokens: 0, usageSyncedAt: now });
  });

  it('without usage-stats, totals grow by what the daily rows grew (the split by the lifetime ratio)', async () => {
    const { ids } = await setUp([{ crsKeyId: 'p4-k' }]);
    const id = ids.get('p4-k')!;
    await cycle({
      listed: [listedCrsKey({ id: 'p4-k' })],
      usage: [usage('p4-k', { requests: 3, tokens: 400, inputTokens: 100, cacheReadTokens: 300, costMicros: 900 })],
      trend: [
        ['p4-k', '2026-11-25', 1, 100, 300],
        ['p4-k', '2026-11-26', 2, 300, 600],
      ],
    });
    // Today grows by 2 requests and 200 tokens, yesterday is unchanged; usage-stats is not read.
    await cycle(
      {
        listed: [listedCrsKey({ id: 'p4-k' })],
        trend: [
          ['p4-k', '2026-11-25', 1, 100, 300],
          ['p4-k', '2026-11-26', 4, 500, 1000],
        ],
      },
      false,
    );
    const row = await key(id);
    expect(row).toMatchObject({ totalRequests: 5, totalTokens: 600, totalCostMicros: 1300 });
    expect(row.inputTokens + row.outputTokens + row.cacheCreateTokens + row.cacheReadTokens).toBe(600);
    // The 200 new tokens split 1 : 3 like the key's lifetime.
    expect([row.inputTokens, row.cacheReadTokens]).toEqual([150, 450]);
    const [, today] = await days(id);
    expect(today).toMatchObject({ tokens: 500, inputTokens: 125, outputTokens: 0, cacheReadTokens: 375 });
  });
});

describe('the rows the judgement looks at', () => {
  it('every row judge() would change is a candidate; rows CRS agrees with are not', async () => {
    const later = '2027-01-01T00:00:00.000Z';
    const cases: Array<[string, KeyInit, Partial<ListedKey>]> = [
      ['same', { crsKeyId: '' }, {}],
      ['same, limits stored partly', { crsKeyId: '', limits: { tokenLimit: 0 } as never }, {}],
      ['same, models in another order', { crsKeyId: '', models: ['b', 'a'] }, { models: ['a', 'b'] }],
      ['same expiry', { crsKeyId: '', expiresAt: new Date(later) }, { expiresAt: later }],
      ['disabled', { crsKeyId: '' }, { isActive: false }],
      ['expired by CRS', { crsKeyId: '', status: 'active' }, { expiresAt: '2026-01-01T00:00:00Z' }],
      ['renamed', { crsKeyId: '' }, { name: 'other' }],
      ['expiry moved', { crsKeyId: '', expiresAt: new Date(later) }, { expiresAt: '2027-02-01T00:00:00Z' }],
      ['a limit', { crsKeyId: '' }, { limits: { ...NO_LIMITS, dailyCostLimit: 5 } }],
      ['a model blocked', { crsKeyId: '', models: ['a'] }, { models: ['a', 'b'] }],
      ['a model swapped', { crsKeyId: '', models: ['a', 'a'] }, { models: ['a', 'b'] }],
      [
        'intent past its deadline',
        { crsKeyId: '', pendingWrite: { id: 'p', deadline: '2026-01-01T00:00:00Z', fields: {} } },
        {},
      ],
      ['back to live', { crsKeyId: '', crsState: 'deleted' }, {}],
    ];
    const keys = cases.map(([, init], i) => ({ ...init, crsKeyId: `p5-${i}` }));
    const { ids } = await setUp(keys);
    const listed = cases.map(([, , over], i) => listedCrsKey({ id: `p5-${i}`, ...over }));
    const candidates = await database.withLeaderLock(lock++, async (session) => {
      await openStaging(session.db);
      await stageKeys(
        session.db,
        listed.map((k) => stagedKey(k, 1, now)),
      );
      await analyzeStaging(session.db);
      return judgeCandidates(session.db as Db, { now, removedKnown: false, after: null, limit: 100 });
    });
    const picked = new Set(candidates?.map((c) => c.row.crsKeyId));
    for (const c of candidates ?? []) expect(listedOf(c.listed!)).toEqual(listed[Number(c.row.crsKeyId.slice(3))]);
    // What judge() itself says of every row, read the way the sync read rows before it had staging tables.
    const rows = new Map((await loadPortalKeys(db)).map((r) => [r.crsKeyId, r]));
    const judged = cases.map(([name], i) => [
      name,
      picked.has(`p5-${i}`),
      judge(rows.get(`p5-${i}`)!, listed[i], now) !== undefined,
    ]);
    expect(ids.size).toBe(cases.length);
    expect(judged).toEqual([
      ['same', false, false],
      ['same, limits stored partly', false, false],
      ['same, models in another order', false, false],
      ['same expiry', false, false],
      ['disabled', true, true],
      ['expired by CRS', true, true],
      ['renamed', true, true],
      ['expiry moved', true, true],
      ['a limit', true, true],
      ['a model blocked', true, true],
      ['a model swapped', true, true],
      ['intent past its deadline', true, true],
      ['back to live', true, true],
    ]);
  });
});
