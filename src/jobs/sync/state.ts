import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { jobState } from '../../infra/db/schema.js';

export type JobRow = typeof jobState.$inferSelect;

export async function readJob(db: Db, name: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobState).where(eq(jobState.name, name));
  return row;
}

/** Records one run of a job in the shared state row (visible to every instance and the admin overview). */
export async function recordRun(
  db: Db,
  name: string,
  run: { at: Date; durationMs: number; error?: string; keysUpdated?: number; full?: boolean },
) {
  const ok = run.error === undefined;
  await db
    .insert(jobState)
    .values({
      name,
      lastRunAt: run.at,
      lastSuccessAt: ok ? run.at : null,
      lastFullAt: ok && run.full ? run.at : null,
      lastDurationMs: Math.round(run.durationMs),
      lastError: run.error ?? null,
      keysUpdated: run.keysUpdated ?? null,
      runs: 1,
      failures: ok ? 0 : 1,
    })
    .onConflictDoUpdate({
      target: jobState.name,
      set: {
        lastRunAt: run.at,
        lastSuccessAt: ok ? run.at : sql`${jobState.lastSuccessAt}`,
        lastFullAt: ok && run.full ? run.at : sql`${jobState.lastFullAt}`,
        lastDurationMs: Math.round(run.durationMs),
        lastError: run.error ?? null,
        keysUpdated: run.keysUpdated ?? sql`${jobState.keysUpdated}`,
        runs: sql`${jobState.runs} + 1`,
        failures: ok ? sql`${jobState.failures}` : sql`${jobState.failures} + 1`,
      },
    });
}
