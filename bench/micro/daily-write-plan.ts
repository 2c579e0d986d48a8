/**
 * The sync's daily write at the large scale's size, with PostgreSQL's plans (not a test): a database of `keys`
 * keys and 30 days of rows (3,000,000 at 100,000 keys), a 2-day trend staged as a regular cycle stages it (every
 * key, ~0.5 % of them changed), then:
 *  - the plan of the lookup of each entry's daily row, as a plain left join and as the lateral one-row lookup
 *    writeDailySlice uses (the plain join looks rows up by key alone and filters 30 days of each, or hashes the
 *    whole table — docs/decisions/031, "Measured");
 *  - one cycle's daily slices written (writeDailySlice) inside a transaction that is rolled back, timed.
 *   node --import tsx bench/micro/daily-write-plan.ts [keys=100000]
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../../src/infra/db/client.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { rowsOf } from '../../src/infra/db/repos/raw-sql.js';
import { analyzeStaging, openStaging } from '../../src/infra/db/repos/sync-staging.js';
import { trendSlices, writeDailySlice } from '../../src/infra/db/repos/sync-usage-writes.js';
import { startPostgres } from '../../tests/support/postgres-server.js';

const KEYS = Number(process.argv[2] ?? 100_000);
const server = await startPostgres();
const url = server.url.replace(/\/postgres$/, '/plan');
const fill = new pg.Client({ connectionString: server.url });
await fill.connect();
await fill.query('create database plan');
await fill.end();
const database = await openDatabase({ databaseUrl: url, dataDir: '.', poolSize: 2 });
try {
  await migrate(database);
  // Filled over a connection of its own: the portal's pool times out statements of this size.
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  let t = performance.now();
  await raw.query(`insert into users (email, password_hash, display_name, role)
    select 'u' || i || '@x.test', 'x', 'u' || i, 'user' from generate_series(1, ${KEYS / 10}) i`);
  await raw.query(`insert into api_keys (user_id, crs_key_id, name, description, status, key_prefix, key_last4, limits)
    select u.id, md5(u.id::text || k), 'key ' || k, '', 'active', 'cr_', 'abcd', '{}'::jsonb
    from users u cross join generate_series(1, 10) k order by random()`);
  await raw.query(`insert into usage_daily (api_key_id, user_id, day, requests, tokens, input_tokens,
      output_tokens, cache_create_tokens, cache_read_tokens, cost_micros)
    select k.id, k.user_id, current_date - d, 2, 7000, 2000, 1000, 500, 3500, 12345
    from generate_series(0, 29) d cross join api_keys k order by d desc, random()`);
  await raw.query('vacuum analyze');
  await raw.end();
  console.log(`${KEYS} keys, 30 days of rows: filled in ${Math.round(performance.now() - t)} ms`);

  await database.withLeaderLock(42, async (s) => {
    await openStaging(s.db);
    await s.db.execute(sql`insert into sync_trend (crs_key_id, day, requests, tokens, cost_micros)
      select k.crs_key_id, current_date - d, case when random() < 0.005 then 3 else 2 end, 7000, 12345
      from generate_series(1, 0, -1) d cross join api_keys k order by random()`);
    await analyzeStaging(s.db);
    const entries = sql`sync_trend t join sync_rows r on r.crs_key_id = t.crs_key_id`;
    const lookups = {
      'plain left join': sql`left join usage_daily d on d.api_key_id = r.id and d.day = t.day`,
      'lateral, one row': sql`left join lateral (
        select * from usage_daily d where d.api_key_id = r.id and d.day = t.day limit 1) d on true`,
    };
    for (const [name, lookup] of Object.entries(lookups)) {
      const plan = rowsOf<{ 'QUERY PLAN': string }>(
        await s.db.execute(
          sql`explain analyze select d.tokens from ${entries} ${lookup} where t.seq between 1 and 10000`,
        ),
      );
      console.log(`\n${name}, one slice of 10,000 entries:\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
    await s
      .transaction(async (tx) => {
        t = performance.now();
        let rows = 0;
        const slices = await trendSlices(tx);
        for (const [from, to] of slices) rows += (await writeDailySlice(tx, { anchored: false, from, to })).rows;
        console.log(
          `\nwriteDailySlice: ${slices.length} slices, ${rows} rows written in ${Math.round(performance.now() - t)} ms`,
        );
        throw new Error('rollback');
      })
      .catch((e: Error) => {
        if (e.message !== 'rollback') throw e;
      });
  });
} finally {
  await database.close();
  await server.stop();
}
