import type { Deps } from '../../deps.js';
import { dropPendingWrite, finishPendingWrite, type KeyChanges } from '../../infra/db/repos/key-writes.js';
import type { KeyRow } from '../../infra/db/repos/keys.js';
import { AppError, isAppError } from '../errors.js';
import { claimPending, isExpired, residualPending } from './pending-write.js';
import type { PendingWrite } from './types.js';

/** One CRS call of a write, and how to take it back if a later step fails. */
export interface CrsStep {
  run(): Promise<unknown>;
  undo(): Promise<unknown>;
}

/** The row changed between reading and claiming it: read it again and recompute. */
export class StaleRow extends Error {}

/** Room beyond the calls' own timeouts (a write is up to 2 calls, a rollback up to 2 more). */
export const pendingDeadlineMs = (crsTimeoutMs: number) => 4 * crsTimeoutMs + 5_000;

/**
 * Whether a failed CRS write certainly did not happen: CRS answered it. No answer (`upstream_unavailable`: a
 * timeout, a lost connection) may still land later (docs/crs.md, quirk 17); so may anything unexpected.
 */
export const definitelyNotWritten = (e: unknown) =>
  isAppError(e) && (e.code === 'bad_request' || e.code === 'not_found' || e.code === 'upstream_error');

/**
 * A CRS write of one key by the portal (docs/decisions/011): the intent is recorded on the row first (409 if
 * another is in flight), then the CRS calls run, then the row takes its new values and the intent goes. When a
 * call fails, the calls already made are undone (only the fields they sent). The intent is dropped only when
 * nothing can land in CRS any more; otherwise it stays until its deadline, and the sync adopts what landed as the
 * portal's own.
 */
export async function guardedWrite(
  deps: Deps,
  row: KeyRow,
  fields: PendingWrite['fields'],
  steps: CrsStep[],
  /** The row's new values; a function when they depend on what CRS answered. */
  set: KeyChanges | (() => KeyChanges),
): Promise<KeyRow> {
  const { db } = deps.database;
  const now = deps.clock();
  const claim = await claimPending(db, row, fields, now, pendingDeadlineMs(deps.config.crs.timeoutMs));
  if (claim === 'busy') {
    throw new AppError('conflict', 'Another change to this key is in progress; try again in a moment');
  }
  if (claim === 'stale') throw new StaleRow();
  const { pending } = claim;
  const residual = residualPending(isExpired(row.pendingWrite, now) ? row.pendingWrite : null, fields);
  let done = 0;
  try {
    for (const step of steps) {
      await step.run();
      done++;
    }
  } catch (e) {
    const undone = await undo(deps, row, steps.slice(0, done));
    if (definitelyNotWritten(e) && undone) await dropPendingWrite(db, row.id, pending, residual).catch(() => {});
    throw e;
  }
  try {
    const values = typeof set === 'function' ? set() : set;
    return await finishPendingWrite(db, row.id, pending, residual, { ...values, updatedAt: now });
  } catch (e) {
    // CRS has the change, the row does not: take it back; the intent stays for the sync if that fails too.
    await undo(deps, row, steps);
    throw e;
  }
}

async function undo(deps: Deps, row: KeyRow, steps: CrsStep[]): Promise<boolean> {
  try {
    for (const step of [...steps].reverse()) await step.undo();
    return true;
  } catch (err) {
    deps.logger.error({ err: (err as Error).message, keyId: row.id }, 'could not roll back a CRS key change');
    return false;
  }
}

/** Runs `attempt` again (up to 3 times) when the row changed under it. */
export async function retryStale<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof StaleRow) || n >= 3) {
        if (e instanceof StaleRow) throw new AppError('conflict', 'This key changed meanwhile; try again');
        throw e;
      }
    }
  }
}
