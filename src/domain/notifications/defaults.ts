import type { Db } from '../../infra/db/client.js';
import { readSetting, writeSetting } from '../../infra/db/repos/settings.js';
import { BUILT_IN_DEFAULTS, CATEGORIES, type Category, LANGUAGES, type NotifyDefaults } from './types.js';

/**
 * The admin's notification defaults, one JSON value in `portal_settings` shared by every instance. Read afresh
 * whenever events are routed, so a change applies to the next event; a value written by another release is read
 * field by field over the built-in defaults.
 */
const NAME = 'notify.defaults';

export async function readDefaults(db: Db): Promise<NotifyDefaults> {
  const raw = await readSetting(db, NAME);
  if (!raw) return BUILT_IN_DEFAULTS;
  let stored: Partial<Record<keyof NotifyDefaults, unknown>>;
  try {
    stored = JSON.parse(raw);
  } catch {
    return BUILT_IN_DEFAULTS;
  }
  const categories = (v: unknown, fallback: Category[]) =>
    Array.isArray(v) ? v.filter((c): c is Category => (CATEGORIES as readonly unknown[]).includes(c)) : fallback;
  const b = BUILT_IN_DEFAULTS;
  return {
    emailEvents: categories(stored.emailEvents, b.emailEvents).filter((c) => c !== 'system'),
    adminEmailEvents: categories(stored.adminEmailEvents, b.adminEmailEvents),
    language: LANGUAGES.find((l) => l === stored.language) ?? b.language,
    digest: typeof stored.digest === 'boolean' ? stored.digest : b.digest,
    digestHour:
      Number.isInteger(stored.digestHour) && Number(stored.digestHour) >= 0 && Number(stored.digestHour) <= 23
        ? Number(stored.digestHour)
        : b.digestHour,
  };
}

export async function writeDefaults(db: Db, d: NotifyDefaults, now: Date): Promise<void> {
  await writeSetting(db, NAME, JSON.stringify(d), now);
}
