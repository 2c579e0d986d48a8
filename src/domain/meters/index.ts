import type { Deps } from '../../deps.js';
import { meterFigures } from '../../infra/db/repos/key-reads.js';
import { type KeyRow, listKeys } from '../../infra/db/repos/keys.js';
import { limitsOf } from '../keys/limits.js';
import { effectiveStatus } from '../keys/view.js';
import { crsDay } from '../usage/range.js';
import { type LimitUsage, limitUsage } from './limit-usage.js';

export type { LimitKind, LimitUsage } from './limit-usage.js';

export type MetersService = ReturnType<typeof createMeters>;

/** A user's key and its meters (what a status bar shows). */
export interface KeyMeters {
  keyId: string;
  name: string;
  status: string;
  limitUsage: LimitUsage[];
}

/** The most keys a user's meters are read for at once (the key quota is far below it). */
const MAX_KEYS = 1000;

/**
 * The limit meters as a service, for callers other than the key views (which compute them inline): personal
 * access tokens' /api/me/summary and notifications of limit crossings. Reads the portal's database only — one
 * statement for the figures — never CRS (docs/decisions/024).
 */
export function createMeters(deps: Deps) {
  const { db } = deps.database;
  const offsetHours = deps.config.crs.timezoneOffset;

  async function limitUsageOf(rows: KeyRow[]): Promise<Map<string, LimitUsage[]>> {
    const now = deps.clock();
    const figures = await meterFigures(
      db,
      rows.map((r) => r.id),
      crsDay(now, offsetHours),
    );
    const out = new Map<string, LimitUsage[]>();
    for (const row of rows) {
      const key = { ...row, limits: limitsOf(row.limits), status: effectiveStatus(row, now) };
      out.set(row.id, limitUsage(key, figures.get(row.id), now, offsetHours));
    }
    return out;
  }

  return {
    /** Each key's meters, by key id. Deleted keys have none. */
    limitUsageOf,

    /** Every key of the user that is not deleted, with its meters, newest first. */
    async forUser(userId: string): Promise<KeyMeters[]> {
      const query = { page: 1, pageSize: MAX_KEYS, sort: 'createdAt', order: 'desc' } as const;
      const { items } = await listKeys(db, userId, query, deps.clock());
      const meters = await limitUsageOf(items);
      return items.map((k) => ({
        keyId: k.id,
        name: k.name,
        status: effectiveStatus(k, deps.clock()),
        limitUsage: meters.get(k.id) ?? [],
      }));
    },
  };
}
