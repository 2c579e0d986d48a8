/**
 * The sync's daily write at the large scale's size, with PostgreSQL's plans (not a test): a database of 100,000
 * keys and 30 days of rows (3,000,000), a 2-day trend staged as a regular cycle stages it (every key, a few
 * hundred changed), then one cycle's daily slices written inside a transaction that is rolled back — each slice
 * timed, and the first one's plan printed (auto_explain into the server log).
 *   node --import tsx bench/micro/daily-write-plan.ts [keys=100000]
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase } from '../../src/infra/db/client.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { analyzeStaging, openStaging } from '../../src/infra/db/repos/sync-staging.js';
import { trendSlices, writeDailySlice } from '../../src/infra/db/repos/sync-usage-writes.js';
import { startPostgres } from '../../tests/support/postgres-server.js';

const KEYS = Number(process.argv[2] ?? 100_000);
const server = await startPostgres();
const admin = new pg.Client({ connectionString: server.url });
await admin.connect();
await admin.query('create database plan');
await admin.end();
const url = server.url.replace(/\/postgres$/, '/plan');
const database = await openDatabase({ databaseUrl: url, dataDir: '.', poolSize: 2 });
try {
  await migrate(database);
  const fill = new pg.Client({ connectionString: url });
  await fill.connect();
  let t = performance.now();
  await fill.query(`insert into users (email, password_hash, display_name, role)
    select 'u' || i || '@x.test', 'x', 'u' || i, 'user' from generate_series(1, ${KEYS / 10}) i`);
  await fill.query(`insert into api_keys (user_id, crs_key_id, name, description, status, key_prefix, key_last4, limits)
    select u.id, md5(u.id::text || k), 'key ' || k, '', 'active', 'cr_', 'abcd', '{}'::jsonb
    from users u cross join generate_series(1, 10) k order by random()`);
  await fill.query(`insert into usage_daily (api_key_id, user_id, day, requests, tokens, input_tokens,
      output_tokens, cache_create_tokens, cache_read_tokens, cost_micros)
    select k.id, k.user_id, current_date - d, 2, 7000, 2000, 1000, 500, 3500, 12345
    from generate_series(0, ${Number(process.env.DAYS ?? 29)}) d cross join api_keys k order by d desc, random()`);
  await fill.query('vacuum analyze');
  await fill.end();
  console.log(`database filled in ${Math.round(performance.now() - t)} ms`);
  await database.withLeaderLock(42, async (s) => {
    await openStaging(s.db);
    await s.db.execute(sql`insert into sync_trend (crs_key_id, day, requests, tokens, cost_micros)
      select k.crs_key_id, current_date - d, case when random() < 0.005 then 3 else 2 end, 7000, 12345
      from generate_series(1, 0, -1) d cross join api_keys k order by random()`);
    await analyzeStaging(s.db);
    for (const q of [
      `explain select d.tokens from sync_trend t join sync_rows r on r.crs_key_id = t.crs_key_id
        left join usage_daily d on d.api_key_id = r.id and d.day = t.day where t.seq between 1 and 10000`,
      `explain analyze select d.tokens from sync_trend t join sync_rows r on r.crs_key_id = t.crs_key_id
        left join usage_daily d on d.api_key_id = r.id and d.day = t.day where t.seq between 1 and 10000`,
      `explain analyze select d.tokens from sync_trend t join sync_rows r on r.crs_key_id = t.crs_key_id
        left join lateral (select * from usage_daily d where d.api_key_id = r.id and d.day = t.day limit 1) d on true
        where t.seq between 1 and 10000`,
    ]) {
      const res = (await s.db.execute(sql.raw(q))) as unknown as { rows: Array<Record<string, string>> };
      console.log(res.rows.map((r) => Object.values(r)[0]).join('\n'));
    }
    if (process.env.ONLY_EXPLAIN) return;
    await s.db.execute(sql.raw(`load 'auto_explain'`));
    await s.db.execute(sql.raw('set auto_explain.log_min_duration = 0'));
    await s.db.execute(sql.raw('set auto_explain.log_analyze = on'));
    await s.transaction(async (tx) => {
      t = performance.now();
      const slices = await trendSlices(tx);
      let rows = 0;
      for (const [i, [from, to]] of slices.entries()) {
        const t0 = performance.now();
        const w = await writeDailySlice(tx, { anchored: false, from, to });
        rows += w.rows;
        if (i < 2) console.log(`slice ${i}: ${Math.round(performance.now() - t0)} ms, ${w.rows} rows`);
        if (i === 0) await tx.execute(sql.raw('set auto_explain.log_min_duration = -1'));
      }
      console.log(`${slices.length} slices, ${rows} rows written, ${Math.round(performance.now() - t)} ms`);
      throw new Error('rollback');
    }).catch((e: Error) => {
      if (e.message !== 'rollback') throw e;
    });
  });
  const dir = readdirSync(os.tmpdir()).filter((d) => d.startsWith('kp-pg-')).map((d) => path.join(os.tmpdir(), d, 'server.log'));
  for (const f of dir) {
    try {
      const log = readFileSync(f, 'utf8');
      if (log.includes('writeDaily') || log.includes('sync_trend t')) console.log(log.slice(log.indexOf('duration:', log.indexOf('sync_trend t') - 2000)).slice(0, 8000));
    } catch {}
  }
} finally {
  await database.close();
  await server.stop();
}
