import type { Deps } from '../../../deps.js';
import { readSetting, writeSetting } from '../../../infra/db/repos/settings.js';
import type { MfaPolicy, Role } from '../types.js';

const SETTING = 'mfa_policy';
/** How long an instance trusts its copy of the policy: a change made on another instance applies within it. */
const REFRESH_MS = 5_000;
const POLICIES: readonly MfaPolicy[] = ['off', 'admins', 'everyone'];

/**
 * Who must have a second factor, as an admin set it (docs/decisions/027). Read on every authenticated request, so
 * the answer is synchronous: this process's copy, refreshed in the background at most every 5 s (the instance
 * that makes a change knows it at once).
 */
export function createMfaPolicy(deps: Pick<Deps, 'database' | 'logger'>) {
  let current: MfaPolicy = 'off';
  let loadedAt = 0;
  let loading: Promise<MfaPolicy> | undefined;

  const load = (): Promise<MfaPolicy> => {
    loading ??= readSetting(deps.database.db, SETTING)
      .then((v) => {
        current = POLICIES.find((p) => p === v) ?? 'off';
        loadedAt = Date.now();
        return current;
      })
      .catch((err: Error) => {
        deps.logger.warn({ err }, 'could not read the 2FA policy; keeping the last one');
        loadedAt = Date.now();
        return current;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  return {
    /** Read once before the app answers requests (an onReady hook), so `requires` never guesses. */
    ready: () => load().then(() => undefined),
    /** The policy now, read again first when this copy is old (sign-ins and the admin's page). */
    async get(): Promise<MfaPolicy> {
      return Date.now() - loadedAt > REFRESH_MS ? load() : current;
    },
    /** The hot path: this copy, and a background refresh when it is old. */
    requires(role: Role): boolean {
      if (Date.now() - loadedAt > REFRESH_MS) void load();
      return current === 'everyone' || (current === 'admins' && role === 'admin');
    },
    async set(policy: MfaPolicy, now: Date): Promise<void> {
      await writeSetting(deps.database.db, SETTING, policy, now);
      current = policy;
      loadedAt = Date.now();
    },
  };
}

export type MfaPolicyStore = ReturnType<typeof createMfaPolicy>;
