import { ok, type Route } from '../../src/crs-emulator/context.js';
import { listKeys, parseListQuery } from '../../src/crs-emulator/key-list.js';
import { type KeyRecord, listItem } from '../../src/crs-emulator/key-record.js';

/** How long a filtered, sorted key list is reused between the pages of one listing. */
const REUSE_MS = 20_000;

/**
 * The emulator's `GET /admin/api-keys` filters and sorts every key for every page it serves, so listing
 * 100,000 keys 100 at a time costs the harness process (where the emulator runs) minutes of CPU per sync —
 * time the latency model does not charge to CRS (a createdAt-ordered page costs 15–25 ms there) and that would
 * stall the emulator's other answers. This handler keeps the emulator's answer (same code for filtering,
 * sorting, paging and items) but sorts once per listing: the sorted records are reused for a few seconds while
 * the number of keys is unchanged. Records are read at page time, so usage fields are current. The bench never
 * deletes keys, disables them or changes their tags while a listing runs; anything else goes to the original.
 */
export function withReusedListing(routes: Route[], keyCount: () => number): Route[] {
  let memo: { key: string; at: number; sorted: KeyRecord[]; tags: string[] } | undefined;
  return routes.map((route) => {
    if (route.method !== 'GET' || route.pattern !== '/admin/api-keys') return route;
    return {
      ...route,
      handler: (env, req) => {
        const q = parseListQuery(req.query);
        if (q.sortBy !== 'createdAt' || q.search !== '') return route.handler(env, req);
        const key = `${q.tag}|${q.isActive}|${q.sortOrder}|${keyCount()}`;
        const now = Date.now();
        if (memo?.key !== key || now - memo.at > REUSE_MS) {
          const all = listKeys(env.store.keys.keys.values(), { ...q, page: 1, pageSize: Number.MAX_SAFE_INTEGER });
          memo = { key, at: now, sorted: all.items, tags: [...env.store.keys.tagsAll].sort() };
        }
        // The paging of listKeys (key-list.ts), over the reused order.
        const total = memo.sorted.length;
        const totalPages = Math.max(1, Math.ceil(total / q.pageSize));
        const page = Math.min(Math.max(1, q.page), totalPages);
        const items = memo.sorted.slice((page - 1) * q.pageSize, page * q.pageSize);
        const pagination = { page, pageSize: q.pageSize, total, totalPages };
        return ok(
          {
            success: true,
            data: { items: items.map(listItem), pagination, availableTags: memo.tags },
            timeRange: req.query.get('timeRange') || 'all',
          },
          { count: q.pageSize },
        );
      },
    };
  });
}
