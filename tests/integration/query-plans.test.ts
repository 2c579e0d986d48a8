import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dailyRows, globalLeaderboard, userLeaderboard } from '../../src/infra/db/repos/usage.js';
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
