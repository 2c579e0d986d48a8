import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/infra/db/client.js';
import { dueForLimits, dueForModels } from '../../src/infra/db/repos/key-reads.js';
import { dailyRows, globalLeaderboard, rangeLeaderboard, userLeaderboard } from '../../src/infra/db/repos/usage.js';
import { hourlyRows } from '../../src/infra/db/repos/usage-hourly.js';
import { modelRows } from '../../src/infra/db/repos/usage-models.js';
import { createTestDatabase } from '../helpers/db.js';

/*
 * The hot queries must be index scans at scale, not table scans. The tables are filled (in SQL, fast) with
 * 2,000 users, 20,000 keys and 300,000 daily rows, analysed, and each query's plan is checked.
 */
const database = await createTestDatabase();
const client = new pg.Client({ connectionString: database.url });
await client.connect();
afterAll(() => client.end());
await client.query(`
  insert into users (id, email, password_hash, display_name)
    select md5('u' || i)::uuid, 'u' || i || '@example.com', 'x', 'user ' || i from generate_series(1, 2000) i;
  insert into api_keys (id, user_id, crs_key_id, name, key_prefix, key_last4, limits, total_tokens, total_requests,
                        total_cost_micros, last_used_at)
    select md5('k' || i)::uuid, md5('u' || (i % 2000 + 1))::uuid, 'crs-' || i, 'key ' || i, 'cr_abcd', '1234', '{}',
           (i * 7919) % 1000003, (i * 31) % 10007, (i * 104729) % 9999991, now() - (i % 1000) * interval '1 minute'
    from generate_series(1, 20000) i;
  insert into usage_daily (api_key_id, user_id, day, requests, tokens, cost_micros)
    select k.id, k.user_id, date '2026-11-26' - d, 3, 1000, 500
    from api_keys k cross join generate_series(0, 14) d;
  analyze;`);
// One heavy user with 3,000 keys, for whom only the matching (user_id, total_*) index avoids a big sort.
await client.query(`
  insert into users (id, email, password_hash, display_name) values (md5('heavy')::uuid, 'heavy@example.com', 'x', 'heavy');
  insert into api_keys (user_id, crs_key_id, name, key_prefix, key_last4, limits, total_tokens, total_requests, total_cost_micros)
    select md5('heavy')::uuid, 'crs-h' || i, 'h' || i, 'cr_abcd', '1234', '{}', (i * 7919) % 1000003, (i * 31) % 10007,
           (i * 104729) % 9999991
    from generate_series(1, 3000) i;
  analyze;`);
const userId = (await client.query(`select md5('u1')::uuid as id`)).rows[0].id as string;
const heavyId = (await client.query(`select md5('heavy')::uuid as id`)).rows[0].id as string;

async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
  const { sql, params } = query.toSQL();
  const res = await client.query(`explain ${sql}`, params);
  return res.rows.map((r) => r['QUERY PLAN']).join('\n');
}

describe('query plans use the indexes', () => {
  it.each([
    ['tokens', 'api_keys_user_total_tokens_idx'],
    ['requests', 'api_keys_user_total_requests_idx'],
    ['cost', 'api_keys_user_total_cost_idx'],
  ] as const)('user leaderboard by %s uses %s', async (sortBy, index) => {
    const heavy = await plan(userLeaderboard(database.db, heavyId, sortBy, 10));
    expect(heavy).toContain(index);
    expect(heavy).not.toMatch(/Seq Scan on api_keys/);
    // A typical user (10 keys) is an index lookup on user_id, then a sort of those few rows.
    const typical = await plan(userLeaderboard(database.db, userId, sortBy, 10));
    expect(typical).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
    expect(typical).not.toMatch(/Seq Scan on api_keys/);
  });

  it.each([
    ['tokens', 'api_keys_total_tokens_idx'],
    ['requests', 'api_keys_total_requests_idx'],
    ['cost', 'api_keys_total_cost_idx'],
  ] as const)('global leaderboard by %s uses %s', async (sortBy, index) => {
    const p = await plan(globalLeaderboard(database.db, sortBy, 10));
    expect(p).toContain(index);
    expect(p).not.toMatch(/Seq Scan on api_keys/);
  });

  it('per-user usage over a range uses usage_daily (user_id, day)', async () => {
    const range = { from: '2026-10-28', to: '2026-11-26', timezone: 'UTC+8' };
    const p = await plan(dailyRows(database.db, userId, range));
    expect(p).toContain('usage_daily_user_day_idx');
    expect(p).not.toMatch(/Seq Scan on usage_daily/);
  });
});

/** The SQL a repository function sends through `db.execute` (hand-written statements), rendered for EXPLAIN. */
async function executed(call: (db: Db) => Promise<unknown>): Promise<string> {
  let captured: SQL | undefined;
  const execute = async (q: SQL) => {
    captured = q;
    return { rows: [] };
  };
  const capture = { execute } as unknown as Db;
  await call(capture);
  if (!captured) throw new Error('no statement sent');
  const { sql, params } = new PgDialect().sqlToQuery(captured);
  const res = await client.query(`explain ${sql}`, params);
  return res.rows.map((r) => r['QUERY PLAN']).join('\n');
}

describe('issue 13’s queries use the indexes (docs/decisions/024, 025)', () => {
  const range = { from: '2026-10-28', to: '2026-11-26' };
  beforeAll(async () => {
    await client.query(`
      insert into usage_daily_model (api_key_id, user_id, day, model, requests, tokens, cost_micros)
        select k.id, k.user_id, date '2026-11-26' - d, m, 1, 100, 50
        from api_keys k cross join generate_series(0, 1) d cross join unnest(array['sonnet', 'opus']) m;
      insert into usage_hourly (api_key_id, user_id, hour, requests, tokens, cost_micros)
        select k.id, k.user_id, timestamptz '2026-11-26 00:00Z' - h * interval '1 hour', 1, 100, 50
        from api_keys k cross join generate_series(0, 23) h where k.crs_key_id < 'crs-2';
      analyze;`);
  });
  it('a user’s leaderboard over a range reads usage_daily by (user_id, day)', async () => {
    const p = await executed((db) => rangeLeaderboard(db, userId, range, 'tokens', 10));
    expect(p).toContain('usage_daily_user_day_idx');
    expect(p).not.toMatch(/Seq Scan on usage_daily/);
  });

  it('a user’s model rows and hours read their (user_id, …) indexes', async () => {
    expect(await executed((db) => modelRows(db, userId, range))).toContain('usage_daily_model_user_day_idx');
    const hours = await executed((db) => hourlyRows(db, userId, new Date('2026-11-20'), new Date('2026-11-27')));
    expect(hours).toContain('usage_hourly_user_hour_idx');
  });

  it('the sync finds due keys by the metered and last-use indexes, not a scan of every key', async () => {
    const limits = await executed((db) => dueForLimits(db, new Date('2026-11-26T00:00:00Z'), 50));
    expect(limits).toContain('api_keys_metered_idx');
    expect(limits).not.toMatch(/Seq Scan on api_keys/);
    const models = await executed((db) => dueForModels(db, new Date(Date.now() - 60_000), 20));
    expect(models).toContain('api_keys_last_used_idx');
    expect(models).not.toMatch(/Seq Scan on api_keys/);
  });
});
