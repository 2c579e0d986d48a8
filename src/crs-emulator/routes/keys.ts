import { fail, objectBody, ok, type Route } from '../context.js';
import { parseCreate, parseExpiry, parseUpdate } from '../key-input.js';
import { listKeys, parseListQuery } from '../key-list.js';
import { createdView, listItem, raw } from '../key-record.js';
import { deletedItem } from '../views.js';

const notFound500 = (what: string) => fail(500, { error: `Failed to ${what} API key`, message: 'API key not found' });
const goneKey = () => fail(404, { success: false, error: 'API Key 不存在' });

/** Key CRUD under /admin/api-keys (docs/crs.md §4). */
export const keyRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/admin/api-keys',
    auth: true,
    handler: (env, req) => {
      const q = parseListQuery(req.query);
      if (q.sortBy === 'cost') {
        // The precomputed cost index is not emulated: CRS's answer while it is not ready.
        const range = req.query.get('costTimeRange') || '7days';
        return fail(503, {
          success: false,
          error: 'RANK_NOT_READY',
          message: `费用排序索引 (${range}) 正在更新中，请稍后重试`,
          costSortStatus: { lastUpdate: null, keyCount: 0, status: 'unknown', updateDuration: 0 },
        });
      }
      const { items, pagination } = listKeys(env.store.keys, q);
      const scan = q.search !== '' || q.sortBy === 'expiresAt' || q.sortBy === 'status';
      return ok(
        {
          success: true,
          data: { items: items.map(listItem), pagination, availableTags: env.store.keys.sortedTags() },
          timeRange: req.query.get('timeRange') || 'all',
        },
        { count: q.pageSize, variant: scan ? 'scan' : undefined },
      );
    },
  },
  {
    method: 'POST',
    pattern: '/admin/api-keys',
    auth: true,
    handler: (env, req) => {
      const parsed = parseCreate(objectBody(req));
      if ('error' in parsed) return fail(400, { error: parsed.error });
      const { key, apiKey } = env.store.keys.create(parsed.changes);
      return ok({ success: true, data: createdView(key, apiKey) });
    },
  },
  {
    method: 'GET',
    pattern: '/admin/api-keys/deleted',
    auth: true,
    handler: (env) => {
      const deleted = [...env.store.keys.keys.values()].filter((k) => k.isDeleted);
      deleted.sort((a, b) => (b.deletedAt ?? '').localeCompare(a.deletedAt ?? ''));
      const apiKeys = deleted.map((k) => deletedItem(env, k));
      return ok({ success: true, apiKeys, total: apiKeys.length });
    },
  },
  {
    method: 'PUT',
    pattern: '/admin/api-keys/:id',
    auth: true,
    handler: (env, req) => {
      const parsed = parseUpdate(objectBody(req), env.now());
      if ('error' in parsed) return fail(400, { error: parsed.error });
      const key = env.store.keys.get(req.params.id);
      if (!key) return notFound500('update');
      env.store.keys.update(key, parsed.changes);
      return ok({ success: true, message: 'API key updated successfully' });
    },
  },
  {
    method: 'PATCH',
    pattern: '/admin/api-keys/:id/expiration',
    auth: true,
    handler: (env, req) => {
      const key = env.store.keys.get(req.params.id);
      if (!key) return fail(404, { error: 'API key not found' });
      const b = objectBody(req);
      if (b.activateNow === true) {
        if (key.expirationMode !== 'activation' || key.isActivated) {
          return fail(400, { error: 'Key is already activated' });
        }
        env.store.activateIfNeeded(key, env.now());
        const updates = { isActivated: true, activatedAt: key.activatedAt, expiresAt: key.expiresAt };
        return ok({ success: true, message: 'API key activated successfully', updates });
      }
      const e = parseExpiry(b.expiresAt);
      if (typeof e === 'object') return fail(400, { error: e.error });
      env.store.keys.update(key, { expiresAt: e });
      return ok({ success: true, message: 'API key expiration updated successfully', updates: { expiresAt: e } });
    },
  },
  {
    method: 'DELETE',
    pattern: '/admin/api-keys/:id',
    auth: true,
    handler: (env, req) => {
      const key = env.store.keys.get(req.params.id);
      if (!key) return notFound500('delete');
      env.store.keys.softDelete(key, req.session?.username ?? 'admin');
      return ok({ success: true, message: 'API key deleted successfully' });
    },
  },
  {
    method: 'DELETE',
    pattern: '/admin/api-keys/:id/permanent',
    auth: true,
    handler: (env, req) => {
      const key = env.store.keys.get(req.params.id);
      if (!key) return goneKey();
      if (!key.isDeleted) return fail(400, { success: false, error: '只能彻底删除已经删除的API Key' });
      env.store.keys.remove(key);
      env.store.usage.drop(key.id);
      return ok({ success: true, message: 'API Key 已彻底删除' });
    },
  },
  {
    method: 'POST',
    pattern: '/admin/api-keys/:id/restore',
    auth: true,
    handler: (env, req) => {
      const key = env.store.keys.get(req.params.id);
      if (!key) return goneKey();
      if (!key.isDeleted) return fail(400, { success: false, error: '该 API Key 未被删除，无需恢复' });
      env.store.keys.restore(key);
      return ok({ success: true, message: 'API Key 已成功恢复', apiKey: raw(key) });
    },
  },
];
