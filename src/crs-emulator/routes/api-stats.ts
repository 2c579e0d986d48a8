import { type Env, fail, objectBody, ok, type Reply, type Req, type Route } from '../context.js';
import type { KeyRecord } from '../key-record.js';
import { formatCost } from '../pricing.js';
import { limitCounters, usageView } from '../views.js';

/**
 * POST /apiStats/api/user-stats (docs/crs.md §6): a key holder's own view of one key, by its secret or by its id
 * (quirk 10: the id alone is a credential). No admin token. The portal's sync calls it by id for the limit figures
 * only CRS counts (the rate window, the weekly Opus cost).
 */
export const apiStatsRoutes: Route[] = [{ method: 'POST', pattern: '/apiStats/api/user-stats', auth: false, handler }];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function handler(env: Env, req: Req): Reply {
  const { apiKey, apiId } = objectBody(req);
  if (typeof apiKey === 'string' && apiKey) {
    const auth = env.store.keys.authenticate(apiKey, env.now());
    if ('error' in auth) {
      const key = env.store.keys.byPlaintext(apiKey);
      const message = key && !key.isDeleted ? refusal(key, auth.error) : 'API key not found';
      return fail(401, { error: 'Invalid API key', message });
    }
    return ok({ success: true, data: userStats(env, auth.key, 'parsed') });
  }
  if (typeof apiId !== 'string' || !apiId) {
    return fail(400, { error: 'API Key or ID is required', message: 'Please provide your API Key or API ID' });
  }
  if (!UUID.test(apiId)) return fail(400, { error: 'Invalid API ID format', message: 'API ID must be a valid UUID' });
  const key = env.store.keys.get(apiId);
  if (!key || key.isDeleted) {
    return fail(404, { error: 'API key not found', message: 'The specified API key does not exist' });
  }
  if (!key.isActive) {
    return fail(403, { error: 'API key is disabled', message: refusal(key, 'disabled'), keyName: key.name });
  }
  if (key.expiresAt && Date.parse(key.expiresAt) <= env.now()) {
    return fail(403, { error: 'API key has expired', message: refusal(key, 'expired'), keyName: key.name });
  }
  return ok({ success: true, data: userStats(env, key, 'raw') });
}

/** CRS's wording of a refused key ("API Key "name" 已被禁用"). */
function refusal(key: KeyRecord, why: string): string {
  return `API Key "${key.name}" ${/disabled/.test(why) ? '已被禁用' : '已过期'}`;
}

/** By id CRS hands `permissions` over as stored (a JSON string); by secret, parsed (docs/crs.md §6). */
function userStats(env: Env, key: KeyRecord, permissions: 'raw' | 'parsed') {
  const usage = usageView(env, key);
  // The capture shows a key with every limit set; for a key without a daily or weekly limit these read as counted,
  // which the portal never relies on (it reads this route only for keys with a window or weekly limit).
  const c = limitCounters(env, key, true);
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    isActive: key.isActive,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    expirationMode: key.expirationMode,
    isActivated: key.isActivated,
    activationDays: key.activationDays,
    activatedAt: key.activatedAt,
    permissions: permissions === 'raw' ? JSON.stringify(key.permissions) : key.permissions,
    usage: { total: { ...tokensFirst(usage.total), formattedCost: formatCost(usage.total.cost) } },
    limits: {
      tokenLimit: key.tokenLimit,
      concurrencyLimit: key.concurrencyLimit,
      rateLimitWindow: key.rateLimitWindow,
      rateLimitRequests: key.rateLimitRequests,
      rateLimitCost: key.rateLimitCost,
      dailyCostLimit: key.dailyCostLimit,
      totalCostLimit: key.totalCostLimit,
      weeklyOpusCostLimit: key.weeklyOpusCostLimit,
      weeklyResetDay: key.weeklyResetDay,
      weeklyResetHour: key.weeklyResetHour,
      currentWindowRequests: c.currentWindowRequests,
      currentWindowTokens: c.currentWindowTokens,
      currentWindowCost: c.currentWindowCost,
      currentDailyCost: c.dailyCost,
      currentTotalCost: usage.total.cost,
      weeklyOpusCost: c.weeklyOpusCost,
      windowStartTime: c.windowStartTime,
      windowEndTime: c.windowEndTime,
      windowRemainingSeconds: c.windowRemainingSeconds,
    },
    accounts: { claudeAccountId: null, geminiAccountId: null, openaiAccountId: null, details: null },
    restrictions: {
      enableModelRestriction: key.enableModelRestriction,
      restrictedModels: key.restrictedModels,
      enableClientRestriction: key.enableClientRestriction,
      allowedClients: key.allowedClients,
    },
    serviceRates: key.serviceRates,
  };
}

/** user-stats orders the lifetime figures tokens first (the capture's order). */
function tokensFirst(t: ReturnType<typeof usageView>['total']) {
  return {
    tokens: t.tokens,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheCreateTokens: t.cacheCreateTokens,
    cacheReadTokens: t.cacheReadTokens,
    allTokens: t.allTokens,
    requests: t.requests,
    cost: t.cost,
  };
}
