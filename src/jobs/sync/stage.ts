import type { Deps } from '../../deps.js';
import { PORTAL_TAG } from '../../domain/keys/crs-fields.js';
import { toMicros } from '../../domain/money.js';
import type { BatchSink, CrsKeyUsage } from '../../infra/crs/types.js';
import type { Db } from '../../infra/db/client.js';
import {
  clearStagedKeys,
  clearStagedUsage,
  type StagedKey,
  stageKeys,
  stageTrend,
  stageUsage,
} from '../../infra/db/repos/sync-staging.js';
import { listedKey, stagedKey } from './plan.js';

/** List items gathered before one staging insert (the pages in flight add at most 4 × 100 more). */
const KEYS_PER_INSERT = 2000;

/**
 * CRS's three answers streamed into the staging tables as they arrive (docs/decisions/031): every page of the
 * `portal` tag list, usage-stats, the per-key trend. Each insert is awaited before more is read, so the process
 * holds a batch per answer, whatever the number of keys. The first failure stops the others at their next
 * batch (a consumer's failure is not CRS's: it is not retried).
 */
export class Staging {
  #failed: unknown;
  #pages = 0;
  /**
   * The three readers share the lock's one connection, whose statements run one at a time anyway: they take turns
   * here rather than in the driver's own queue (which pg 9 removes; pg 8 warns about it).
   */
  #turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: Deps,
    private readonly db: Db,
    private readonly now: Date,
  ) {}

  /** List pages read (each one CRS call). */
  get pages(): number {
    return this.#pages;
  }

  /** Every key tagged `portal`. */
  async keys(): Promise<void> {
    let batch: StagedKey[] = [];
    const flush = async () => {
      const b = batch;
      batch = [];
      await this.inTurn(() => stageKeys(this.db, b));
    };
    const restart = () => {
      batch = [];
      return this.inTurn(() => clearStagedKeys(this.db));
    };
    await this.guarded(
      this.deps.crs.eachKeyPage(
        PORTAL_TAG,
        // Not async: the page's items are garbage once converted, not kept alive by a frame waiting on the insert.
        (items, page) => {
          this.check();
          this.#pages++;
          for (const k of items) batch.push(stagedKey(listedKey(k), page, this.now));
          return batch.length >= KEYS_PER_INSERT ? flush() : undefined;
        },
        { restart },
      ),
    );
    await flush();
  }

  /** Lifetime totals of every live key (usage-stats). */
  usage(): Promise<void> {
    const sink: BatchSink<CrsKeyUsage> = {
      restart: () => this.inTurn(() => clearStagedUsage(this.db)),
      write: (batch) => {
        this.check();
        const rows = batch.map((u) => ({
          crsKeyId: u.keyId,
          name: u.name,
          requests: u.total.requests,
          tokens: u.total.tokens,
          inputTokens: u.total.inputTokens,
          outputTokens: u.total.outputTokens,
          cacheCreateTokens: u.total.cacheCreateTokens,
          cacheReadTokens: u.total.cacheReadTokens,
          costMicros: toMicros(u.total.cost),
        }));
        return this.inTurn(() => stageUsage(this.db, rows));
      },
    };
    return this.guarded(this.deps.crs.streamUsageStats(sink));
  }

  /** The per-key daily trend of the last `days` CRS days. */
  trend(days: number): Promise<void> {
    return this.guarded(
      this.deps.crs.keysUsageTrend(days, (entries) => {
        this.check();
        const rows = entries.map((e) => ({
          crsKeyId: e.keyId,
          day: e.date,
          requests: e.requests,
          tokens: e.tokens,
          costMicros: toMicros(e.cost),
        }));
        return this.inTurn(() => stageTrend(this.db, rows));
      }),
    );
  }

  /** Waits for every read; rejects with the one that failed first (the others stopped because of it). */
  async all(reads: Array<Promise<void> | undefined>): Promise<void> {
    await Promise.allSettled(reads);
    if (this.#failed !== undefined) throw this.#failed;
  }

  /** Stops the other readers at their next batch once one has failed. */
  private async guarded(p: Promise<void>): Promise<void> {
    try {
      await p;
    } catch (e) {
      this.#failed ??= e;
      throw e;
    }
  }

  private inTurn<T>(statement: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(statement);
    this.#turn = run.catch(() => undefined);
    return run;
  }

  private check(): void {
    if (this.#failed !== undefined) throw new Error('another read of this sync cycle failed');
  }
}
