import type { KeyRecord } from './key-record.js';

/** GET /admin/api-keys query handling (reference §3.2). */
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

export function listKeys(all: Iterable<KeyRecord>, q: ListQuery) {
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
  const total = matched.length;
  const totalPages = Math.max(1, Math.ceil(total / q.pageSize));
  const page = Math.min(Math.max(1, q.page), totalPages);
  const items = matched.slice((page - 1) * q.pageSize, page * q.pageSize);
  return { items, pagination: { page, pageSize: q.pageSize, total, totalPages } };
}
