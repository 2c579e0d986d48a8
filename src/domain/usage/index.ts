import type { Deps } from '../../deps.js';
import type { CacheEntry } from '../../infra/cache/types.js';
import type { LeaderboardSort } from '../../infra/db/repos/usage.js';
import type { AnswerBytes } from '../answer-bytes.js';
import { AppError, notFound } from '../errors.js';
import {
  compareAnswer,
  comparisonBody,
  type KeyRef,
  keyIndexAnswer,
  keyUsageAnswer,
  leaderboardAnswer,
  usageAnswer,
} from './answers.js';
import { closeBody } from './body.js';
import type { FreshnessSource } from './freshness.js';
import { checkHourlyRange, hourlyAnswer } from './hourly.js';
import { crsDay, type DayRange, type RangeQuery, resolveRange, timezoneLabel } from './range.js';
import { adminStatementAnswer, adminStatementCsv, resolveMonth, statementAnswer } from './statement.js';
import { summaryAnswer } from './summary.js';

export type StatsService = ReturnType<typeof createStats>;

/** An answer now (from memory, as the bytes to send), or later (loaded). */
export type Answer = Buffer | Promise<string>;

/**
 * Usage, compare and leaderboard: read from the cache, then PostgreSQL — never from CRS. Every answer is a
 * ready-to-send JSON string. When the cache's memory tier has the entry (and the freshness is known), the
 * answer is returned synchronously: no promise on the hot path of a warm read (docs/decisions/008).
 */
export function createStats(deps: Deps, freshness: FreshnessSource, bytes: AnswerBytes) {
  const { db } = deps.database;
  const { entries } = deps.cache;
  const offset = deps.config.crs.timezoneOffset;
  const range = (q: RangeQuery) => resolveRange(q, deps.clock(), offset);
  const hasRange = (q: RangeQuery) => q.range !== undefined || q.from !== undefined || q.to !== undefined;

  /** The cached open answer closed with the current freshness, from memory only; undefined otherwise. */
  const fromMemory = (entry: CacheEntry<string>): Buffer | undefined => {
    const f = freshness.current();
    if (!f) return undefined;
    const hit = entry.peek();
    if (!hit) return undefined;
    return bytes.closed(hit.value, f.asOf, f.stale || hit.stale, () => closeBody(hit.value, f, hit.stale));
  };

  const loaded = async (entry: CacheEntry<string>, load: () => Promise<string>) => {
    const cached = await entry.getOrLoad(load);
    return closeBody(cached.value, await freshness.get(), cached.stale);
  };

  async function keyIndex(userId: string): Promise<Map<string, KeyRef>> {
    const { value } = await entries.keyIndex(userId).getOrLoad(() => keyIndexAnswer(db, userId));
    return new Map((JSON.parse(value) as KeyRef[]).map((k) => [k.id, k]));
  }

  /** One key's totals and series, cached per key: the fallback's unit, shared by every comparison that falls back. */
  async function keyUsage(userId: string, r: DayRange, key: KeyRef): Promise<string> {
    const entry = entries.compareKey({ userId, range: r, keyId: key.id });
    const { value } = await entry.getOrLoad(() => keyUsageAnswer(db, userId, r, key));
    return value;
  }

  /**
   * A comparison is cached whole (dropped with the user's entries), so a repeated one is one memory read, and a
   * miss is one load — the keys and their rows, as usage loads (ownership checked inside: an entry exists only for
   * the owner's keys). When it cannot be loaded and no earlier comparison is graced, the answer is assembled key by
   * key instead, the failed keys saying so in their slot.
   */
  async function compareLoaded(
    userId: string,
    keyIds: string[],
    r: DayRange,
    whole: CacheEntry<string>,
  ): Promise<string> {
    try {
      return await loaded(whole, () => compareAnswer(db, userId, r, keyIds));
    } catch (e) {
      if (e instanceof AppError && e.code === 'not_found') throw e;
    }
    const byId = await keyIndex(userId);
    if (keyIds.some((id) => !byId.has(id))) throw notFound('Key');
    const parts = await Promise.all(
      keyIds.map((id) =>
        keyUsage(userId, r, byId.get(id)!).catch((e: unknown) => {
          const err = e instanceof AppError ? e : new AppError('internal', 'This key could not be loaded');
          deps.logger.warn({ keyId: id, code: err.code }, 'compare: one key failed');
          return JSON.stringify({ keyId: id, error: { code: err.code, message: err.message } });
        }),
      ),
    );
    return closeBody(comparisonBody(r, parts), await freshness.get());
  }

  function summaryJson(userId: string, q: RangeQuery): Answer {
    const r = range(q);
    const today = crsDay(deps.clock(), offset);
    const entry = entries.summary({ userId, range: r, today });
    return fromMemory(entry) ?? loaded(entry, () => summaryAnswer(db, userId, r, deps.clock(), offset));
  }

  return {
    /** Daily usage; with `granularity=hour`, every hour of at most 7 CRS days (usage_hourly). */
    usageJson(userId: string, q: RangeQuery & { keyId?: string; granularity?: 'day' | 'hour' }): Answer {
      const r = range(q);
      if (q.granularity === 'hour') {
        checkHourlyRange(r);
        const entry = entries.hourlyUsage({ userId, range: r, keyId: q.keyId });
        return fromMemory(entry) ?? loaded(entry, () => hourlyAnswer(db, userId, r, offset, q.keyId));
      }
      const entry = entries.usage({ userId, range: r, keyId: q.keyId });
      // Ownership is checked inside the loader: a cached entry exists only for the owner's key.
      return fromMemory(entry) ?? loaded(entry, () => usageAnswer(db, userId, r, q.keyId));
    },

    /** The spend summary of docs/product.md §2.4, as JSON (GET /api/stats/summary). */
    summaryJson,

    /** A user's monthly statement (default: this CRS month). */
    statementJson(userId: string, month?: string): Answer {
      const m = resolveMonth(month, deps.clock(), offset);
      const entry = entries.statement({ userId, month: m });
      return fromMemory(entry) ?? loaded(entry, () => statementAnswer(db, userId, m, timezoneLabel(offset)));
    },

    /** Every user's totals of a month, for the operator; as JSON or CSV. */
    async adminStatement(month: string | undefined, format: 'json' | 'csv'): Promise<{ month: string; body: string }> {
      const m = resolveMonth(month, deps.clock(), offset);
      const entry = entries.adminStatement(m);
      const load = () => adminStatementAnswer(db, m, timezoneLabel(offset));
      if (format === 'json')
        return { month: m, body: fromMemory(entry)?.toString('utf8') ?? (await loaded(entry, load)) };
      return { month: m, body: adminStatementCsv((await entry.getOrLoad(load)).value) };
    },

    compareJson(userId: string, keyIds: string[], q: RangeQuery): Answer {
      const r = range(q);
      const whole = entries.compare({ userId, range: r, keyIds });
      return fromMemory(whole) ?? compareLoaded(userId, keyIds, r, whole);
    },

    /** Lifetime totals by default; with a range (as usage takes it), the usage of those days. */
    leaderboardJson(
      userId: string,
      q: { sortBy: LeaderboardSort; limit: number; scope: 'mine' | 'all'; isAdmin: boolean } & RangeQuery,
    ): Answer {
      if (q.scope === 'all' && !q.isAdmin) {
        return Promise.reject(new AppError('forbidden', 'scope=all needs the admin role'));
      }
      const r = hasRange(q) ? range(q) : undefined;
      const entry = entries.leaderboard({
        userId,
        everyone: q.scope === 'all',
        sortBy: q.sortBy,
        limit: q.limit,
        range: r,
      });
      return (
        fromMemory(entry) ??
        loaded(entry, () =>
          leaderboardAnswer(db, userId, { sortBy: q.sortBy, limit: q.limit, scope: q.scope, range: r }),
        )
      );
    },
  };
}
