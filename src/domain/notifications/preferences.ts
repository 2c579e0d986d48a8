import type { Deps } from '../../deps.js';
import { prefsOf, upsertPrefs } from '../../infra/db/repos/notify-channels.js';
import { releaseHeld } from '../../infra/db/repos/notify-outbox.js';
import type { Language } from '../../infra/notify/types.js';
import type { PublicUser } from '../accounts/types.js';
import type { ChannelsService } from './channels.js';
import { readDefaults, writeDefaults } from './defaults.js';
import { CATEGORIES, type Category, type ChannelView, type NotifyDefaults, USER_CATEGORIES } from './types.js';

export interface NotificationSettings {
  /** E-mail can be sent (SMTP_URL and MAIL_FROM are set); the account e-mail channel exists only then. */
  emailAvailable: boolean;
  language: Language;
  digest: { enabled: boolean; hour: number };
  /** The categories this user may choose (admins also `system`). */
  categories: Category[];
  channels: ChannelView[];
}

export interface SettingsPatch {
  language?: Language;
  digest?: { enabled?: boolean; hour?: number };
}

/** A user's language and digest, and the admin's defaults behind them (docs/decisions/030). */
export function createPreferences(
  deps: Pick<Deps, 'database' | 'clock'>,
  channels: ChannelsService,
  emailAvailable: boolean,
) {
  const { db } = deps.database;

  async function get(user: PublicUser): Promise<NotificationSettings> {
    const [prefs, defaults, list] = await Promise.all([prefsOf(db, user.id), readDefaults(db), channels.list(user)]);
    return {
      emailAvailable,
      language: prefs?.language ?? defaults.language,
      digest: { enabled: prefs?.digest ?? defaults.digest, hour: prefs?.digestHour ?? defaults.digestHour },
      categories: user.role === 'admin' ? [...CATEGORIES] : [...USER_CATEGORIES],
      channels: list,
    };
  }

  return {
    get,
    async update(user: PublicUser, patch: SettingsPatch): Promise<NotificationSettings> {
      const now = deps.clock();
      await deps.database.transaction(async (tx) => {
        await upsertPrefs(
          tx,
          user.id,
          {
            ...(patch.language ? { language: patch.language } : {}),
            ...(patch.digest?.enabled !== undefined ? { digest: patch.digest.enabled } : {}),
            ...(patch.digest?.hour !== undefined ? { digestHour: patch.digest.hour } : {}),
          },
          now,
        );
        // Events held for a digest the user no longer wants go out now rather than at the old digest hour.
        if (patch.digest?.enabled === false) await releaseHeld(tx, user.id, now);
      });
      return get(user);
    },
    defaults: () => readDefaults(db),
    /** Changes the fields given; every other default stays as it was. */
    async setDefaults(patch: Partial<NotifyDefaults>): Promise<NotifyDefaults> {
      await deps.database.transaction(async (tx) => {
        await writeDefaults(tx, { ...(await readDefaults(tx)), ...patch }, deps.clock());
      });
      return readDefaults(db);
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferences>;
