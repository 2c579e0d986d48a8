import type { KeyRecord } from './key-record.js';
import type { KeyStore } from './key-store.js';

/** GET /admin/api-keys query handling (docs/crs.md §4.2). */
export interface ListQuery {
  page: number;
  pageSize: number;
  search: string;
  tag: string;
  isActive: string;
  sortBy: string;
  sortOrder: string;
}

const PAGE_SIZES = [10, 20, 50, 100];

export function parseListQuery(q: URLSearchParams): ListQuery {
  const size = Number(q.get('pageSize'));
  const page = Number.parseInt(q.get('page') ?? '1', 10);
  return {
    page: Number.isFinite(page) ? page : 1,
    pageSize: PAGE_SIZES.includes(size) ? size : 20,
    search: q.get('search') ?? '',
    tag: q.get('tag') ?? '',
    isActive: q.get('isActive') ?? '',
    sortBy: q.get('sortBy') || 'createdAt',
    sortOrder: q.get('sortOrder') === 'asc' ? 'asc' : 'desc',
  };
}

const time = (s: string) => (s ? new Date(s).getTime() : 0);

function sortValue(k: KeyRecord, by: string): number | string {
  switch (by) {
    case 'name':
      return k.name.toLowerCase();
    case 'expiresAt':
      return time(k.expiresAt);
    case 'lastUsedAt':
      return time(k.lastUsedAt);
    case 'isActive':
    case 'status':
      return k.isActive ? 1 : 0;
    default:
      return time(k.createdAt);
  }
}

/**
 * The keys a listing shows, in order. Ordered by creation time (what the portal's sync pages through), the
 * order never changes and membership changes only through the store, so the pages of one listing share one
 * filter-and-sort, valid until the store's version moves: 100,000 keys listed 100 at a time would otherwise
 * sort them all 1,000 times. Other orders (last use, expiry) move with traffic and are sorted per page.
 */
const listings = new WeakMap<KeyStore, { version: number; filter: string; keys: KeyRecord[] }>();

function matching(store: KeyStore, q: ListQuery): KeyRecord[] {
  const reusable = q.sortBy === 'createdAt';
  const filter = `${q.tag}\0${q.isActive}\0${q.search}\0${q.sortOrder}`;
  const memo = listings.get(store);
  if (reusable && memo?.version === store.version && memo.filter === filter) return memo.keys;
  const keys = filterAndSort(store.keys.values(), q);
  if (reusable) listings.set(store, { version: store.version, filter, keys });
  return keys;
}

function filterAndSort(all: Iterable<KeyRecord>, q: ListQuery): KeyRecord[] {
  const search = q.search.toLowerCase();
  const matched: KeyRecord[] = [];
  for (const k of all) {
    if (k.isDeleted) continue;
    if (q.tag && !k.tags.includes(q.tag)) continue;
    if (q.isActive === 'true' && !k.isActive) continue;
    if (q.isActive === 'false' && k.isActive) continue;
    // CRS also matches the owner display name, "Admin" for every admin-created key.
    if (search && !k.name.toLowerCase().includes(search) && !'admin'.includes(search)) continue;
    matched.push(k);
  }
  const dir = q.sortOrder === 'asc' ? 1 : -1;
  const by = q.sortBy;
  matched.sort((a, b) => {
    const va = sortValue(a, by);
    const vb = sortValue(b, by);
    if (va < vb) return -dir;
    if (va > vb) return dir;
    return a.id < b.id ? -dir : a.id > b.id ? dir : 0;
  });
  return matched;
}

export function listKeys(store: KeyStore, q: ListQuery) {
  const matched = matching(store, q);
  const total = matched.length;
  const totalPages = Math.max(1, Math.ceil(total / q.pageSize));
  const page = Math.min(Math.max(1, q.page), totalPages);
  const items = matched.slice((page - 1) * q.pageSize, page * q.pageSize);
  return { items, pagination: { page, pageSize: q.pageSize, total, totalPages } };
}
