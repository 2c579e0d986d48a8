import { type SQL, sql } from 'drizzle-orm';

/** Helpers the repositories share: hand-written statements, set-based batches, LIKE patterns. */

/** A query the caller awaits for its rows, or explains (tests/integration/query-plans.test.ts checks the plans). */
export type Query<T> = Promise<T> & { toSQL(): { sql: string; params: unknown[] } };

/** The rows of a `db.execute` result (node-postgres and PGlite both answer `{ rows }`). */
export const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

const BATCH = 5000;

/**
 * Set-based writes go in batches with one JSON parameter each, so a sync over 100,000 keys is a handful of
 * statements, not 100,000 round trips.
 */
export function* batches<T>(items: T[], size = BATCH): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** One statement parameter holding a whole batch: `jsonb_to_recordset` turns it back into typed rows. */
export const batchParam = (rows: object[]): SQL => sql`${JSON.stringify(rows)}::jsonb`;

export const iso = (d: Date | null) => d?.toISOString() ?? null;

/** `%text%` for ILIKE, with the user's own `%`, `_` and `\` matched literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
