import type { EmulatorStore } from './store.js';

const DAY = 86_400_000;

/** Keys that exist in the operator's CRS outside the portal, with a month of history each (deterministic). */
export const DEMO_KEYS = [
  { name: 'team-shared', tags: ['team'], dailyCostLimit: 50, requestsPerDay: 40, seed: 101 },
  { name: 'ci-pipeline', tags: ['ci'], rateLimitWindow: 60, rateLimitRequests: 600, requestsPerDay: 25, seed: 202 },
  { name: 'data-science', tags: ['research'], weeklyOpusCostLimit: 100, requestsPerDay: 15, seed: 303 },
  { name: 'legacy-integration', tags: ['legacy'], requestsPerDay: 5, seed: 404, disabled: true },
] as const;

export function seedDemo(store: EmulatorStore): void {
  const createdAt = store.now() - 31 * DAY;
  for (const d of DEMO_KEYS) {
    const { requestsPerDay, seed, name, tags, ...limits } = d;
    const { disabled, ...rest } = limits as typeof limits & { disabled?: boolean };
    const { id } = store.createKey({ name, tags: [...tags], ...rest }, { createdAt });
    store.seedHistory(id, { days: 30, requestsPerDay, seed });
    if (disabled) store.keys.update(store.keys.get(id)!, { isActive: false });
  }
}
