import type { Deps } from '../../deps.js';
import type { CacheEntry } from '../../infra/cache/types.js';
import { meterFigures } from '../../infra/db/repos/key-reads.js';
import { findOwnedKey, listKeys } from '../../infra/db/repos/keys.js';
import type { AnswerBytes } from '../answer-bytes.js';
import { notFound } from '../errors.js';
import type { FreshnessSource } from '../usage/freshness.js';
import { crsDay } from '../usage/range.js';
import { createKey } from './create-key.js';
import { deleteKey } from './delete-key.js';
import { keyInstructions } from './instructions.js';
import type { Actor, CreateKeyInput, KeyView, ListKeysQuery, UpdateKeyInput } from './types.js';
import { updateKey } from './update-key.js';
import { toKeyView } from './view.js';

export type KeysService = ReturnType<typeof createKeys>;

export function createKeys(deps: Deps, freshness: FreshnessSource, bytes: AnswerBytes) {
  const { db } = deps.database;
  const offsetHours = deps.config.crs.timezoneOffset;
  /** The meters' figures of a page of keys: one statement (today is CRS's day, docs/crs.md §7.1). */
  const figuresOf = (rows: Array<{ id: string }>, now: Date) =>
    meterFigures(
      db,
      rows.map((r) => r.id),
      crsDay(now, offsetHours),
    );

  async function loadList(userId: string, q: ListKeysQuery, entry: CacheEntry<string>): Promise<string> {
    const { value } = await entry.getOrLoad(async () => {
      const now = deps.clock();
      const [{ items, total }, { asOf }] = await Promise.all([listKeys(db, userId, q, now), freshness.get()]);
      const figures = await figuresOf(items, now);
      return JSON.stringify({
        items: items.map((row) => toKeyView(row, now, { syncedAt: asOf, figures: figures.get(row.id), offsetHours })),
        page: q.page,
        pageSize: q.pageSize,
        total,
      });
    });
    return value;
  }

  return {
    /**
     * A page of the user's keys as a ready-to-send JSON body, cached per user and query (`keys` namespace):
     * a warm read does no database work and no serialisation — and, answered from memory, not even a promise.
     * Key writes and the sync invalidate it.
     */
    listJson(userId: string, q: ListKeysQuery): Buffer | Promise<string> {
      const entry = deps.cache.entries.keyList({ userId, query: q });
      const hit = entry.peek();
      return hit ? bytes.of(hit.value) : loadList(userId, q, entry);
    },

    async get(userId: string, keyId: string): Promise<KeyView> {
      const [row, { asOf }] = await Promise.all([findOwnedKey(db, userId, keyId), freshness.get()]);
      if (!row) throw notFound('Key');
      const now = deps.clock();
      const figures = await figuresOf([row], now);
      return toKeyView(row, now, { syncedAt: asOf, figures: figures.get(row.id), offsetHours });
    },

    create: (actor: Actor, input: CreateKeyInput) => createKey(deps, actor, input),
    update: (actor: Actor, keyId: string, input: UpdateKeyInput) => updateKey(deps, actor, keyId, input),
    remove: (actor: Actor, keyId: string) => deleteKey(deps, actor, keyId),

    async instructions(userId: string, keyId: string) {
      const key = await this.get(userId, keyId);
      return keyInstructions(deps.config, key);
    },
  };
}
