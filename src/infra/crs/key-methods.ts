import { AppError } from '../../domain/errors.js';
import { LIMIT_FIELDS } from '../../domain/keys/limits.js';
import { createdKeySchema, deletedKeysSchema, keyPageSchema, writeAckSchema } from './key-schemas.js';
import { parseWith } from './loose.js';
import { workers } from './pool.js';
import type { Requester } from './request.js';
import { type CrsRequest, endpointOf } from './transport.js';
import type { CrsClient, CrsCreateKeyInput, CrsKey, CrsKeyPage, CrsListKeysQuery, CrsUpdateKeyInput } from './types.js';

/** The API-key routes (docs/crs.md §4), with the quirks of docs/crs.md §10 handled here and nowhere else. */
type KeyMethods = Pick<
  CrsClient,
  | 'listKeys'
  | 'listAllKeys'
  | 'eachKeyPage'
  | 'findKey'
  | 'listDeletedKeys'
  | 'createKey'
  | 'updateKey'
  | 'setExpiration'
  | 'deleteKey'
>;

const KEYS = '/admin/api-keys';
const KEY = '/admin/api-keys/:id';

const CREATE_FIELDS = [
  'name',
  'description',
  'tags',
  'expiresAt',
  ...LIMIT_FIELDS,
  'enableModelRestriction',
  'restrictedModels',
] as const satisfies readonly (keyof CrsCreateKeyInput)[];

// No `description` (CRS ignores it on PUT) and no `expiresAt` (a PUT with expiresAt re-enables a disabled key).
const UPDATE_FIELDS = [
  'name',
  'isActive',
  'tags',
  ...LIMIT_FIELDS,
  'enableModelRestriction',
  'restrictedModels',
] as const satisfies readonly (keyof CrsUpdateKeyInput)[];

/** Copies only the named fields that are set, so nothing unexpected (or undefined) reaches CRS. */
function pick<T extends object>(input: T, fields: readonly (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (input[f] !== undefined) out[f as string] = input[f];
  return out;
}

/**
 * A bound against a CRS that never reports its last page: 10,000 pages of 100 = 1,000,000 keys. The sync lists
 * every portal key this way (100,000 keys = 1,000 pages), and a key missing from the list reads as deleted in
 * CRS: past the bound the call fails rather than return a truncated list.
 */
const MAX_PAGES = 10_000;
/** List pages in flight at once: CRS answers them in parallel without slowing down (docs/crs.md §8). */
const LIST_CONCURRENCY = 4;
/** findKey's bound: a name shared by more than 2,000 keys is not searched to the end (the sync retries later). */
const MAX_SEARCH_PAGES = 20;

export function keyMethods(requester: Requester): KeyMethods {
  const write = (req: CrsRequest) => requester.call(req, parseWith(writeAckSchema, endpointOf(req)));
  const list = (q: CrsListKeysQuery): Promise<CrsKeyPage> => {
    const req: CrsRequest = {
      method: 'GET',
      route: KEYS,
      query: {
        page: q.page,
        pageSize: q.pageSize,
        tag: q.tag,
        search: q.search,
        isActive: q.isActive === undefined ? undefined : String(q.isActive),
        sortBy: q.sortBy,
        sortOrder: q.sortOrder,
      },
    };
    return requester.call(req, parseWith(keyPageSchema, endpointOf(req)));
  };

  const eachKeyPage: KeyMethods['eachKeyPage'] = async (tag, onPage) => {
    // Oldest first, so keys created while paging land on later pages instead of shifting earlier ones. Page 1
    // tells how many pages there are; the rest are read LIST_CONCURRENCY at a time (1,000 pages one after
    // another would take ~100 s at 100,000 keys, docs/crs.md §8), each handed over before its reader asks for
    // another: at most LIST_CONCURRENCY pages are held, whatever the number of keys.
    const page = (n: number) => list({ tag, page: n, pageSize: 100, sortBy: 'createdAt', sortOrder: 'asc' });
    const first = await page(1);
    // Pages are asked for only up to the last one CRS reports: past it, CRS answers the last page again.
    let last = first.items.length === 0 ? 1 : first.totalPages;
    const tooMany = () =>
      new AppError('upstream_error', `CRS listed more than ${MAX_PAGES} pages of keys tagged ${tag}`);
    if (last > MAX_PAGES) throw tooMany();
    await onPage(first.items, 1);
    let next = 2;
    await workers(
      LIST_CONCURRENCY,
      () => next <= last,
      async () => {
        const n = next++;
        const res = await page(n);
        // Keys created meanwhile may add pages; a shrinking list only repeats its last page.
        last = Math.max(last, res.totalPages);
        if (last > MAX_PAGES) throw tooMany();
        await onPage(res.items, n);
      },
    );
  };

  return {
    listKeys: list,

    eachKeyPage,

    async listAllKeys<T = CrsKey>(tag: string, pick?: (key: CrsKey) => T) {
      // Each page reduced by `pick` as it arrives (100,000 whole keys would hold ~100 MB), its ids kept beside;
      // merged in page order, so the result is the sequential one: ids de-duplicated, first page wins (a delete
      // can shift an item onto a page read).
      const keep = pick ?? ((k: CrsKey) => k as T);
      const pages: Array<{ n: number; items: Array<[string, T]> }> = [];
      await eachKeyPage(tag, (items, n) => {
        pages.push({ n, items: items.map((k) => [k.id, keep(k)]) });
      });
      pages.sort((a, b) => a.n - b.n);
      const seen = new Map<string, T>();
      for (const { items } of pages) for (const [id, v] of items) if (!seen.has(id)) seen.set(id, v);
      return [...seen.values()];
    },

    async findKey(id, search) {
      for (let page = 1; page <= MAX_SEARCH_PAGES; page++) {
        const res = await list({ search, page, pageSize: 100, sortBy: 'createdAt', sortOrder: 'asc' });
        const hit = res.items.find((k) => k.id === id);
        if (hit) return hit;
        if (page >= res.totalPages || res.items.length === 0) return undefined;
      }
      return undefined;
    },

    listDeletedKeys() {
      const req: CrsRequest = { method: 'GET', route: `${KEYS}/deleted` };
      return requester.call(req, parseWith(deletedKeysSchema, endpointOf(req)));
    },

    createKey(input) {
      const req: CrsRequest = { method: 'POST', route: KEYS, body: pick(input, CREATE_FIELDS) };
      return requester.call(req, parseWith(createdKeySchema, endpointOf(req)));
    },

    async updateKey(id, input) {
      const body = pick(input, UPDATE_FIELDS);
      if (Object.keys(body).length === 0) return;
      // CRS answers 400 to a non-boolean isActive; refuse here rather than send "false".
      if ('isActive' in body && typeof body.isActive !== 'boolean') throw new TypeError('isActive must be a boolean');
      await write({ method: 'PUT', route: KEY, params: { id }, body });
    },

    async setExpiration(id, expiresAt) {
      // The expiration route never touches isActive (docs/crs.md, quirk 5); "" is CRS's "never expires".
      await write({
        method: 'PATCH',
        route: `${KEY}/expiration`,
        params: { id },
        body: { expiresAt: expiresAt ?? '' },
      });
    },

    async deleteKey(id) {
      await write({ method: 'DELETE', route: KEY, params: { id } });
    },
  };
}
