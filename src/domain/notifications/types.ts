import type { ChannelType, Language } from '../../infra/notify/types.js';
import type { Category } from './categories.js';
import type { EventKind, NotificationEvent } from './messages/index.js';

export { ADDABLE_CHANNELS, CATEGORIES, type Category, USER_CATEGORIES } from './categories.js';

/** The category of each event kind; the test message and the pause notice belong to none (always sent). */
export const CATEGORY_OF: Record<EventKind, Category | null> = {
  usage_threshold: 'usage',
  key_expiring: 'expiry',
  key_expired: 'expiry',
  key_disabled: 'operator',
  key_limits_changed: 'operator',
  sync_failing: 'system',
  crs_unreachable: 'system',
  crs_credentials_rejected: 'system',
  alert: 'system',
  channel_test: null,
  channel_paused: null,
};

export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];

/**
 * The admin's defaults: what each account's own e-mail address receives until its owner chooses, and the
 * language and digest of users who never set theirs. Issue 14: when SMTP is configured, e-mail is on by default
 * for limit and expiry events.
 */
export interface NotifyDefaults {
  emailEvents: Category[];
  /** Admins' own addresses receive these too until they choose (the admin events). */
  adminEmailEvents: Category[];
  language: Language;
  digest: boolean;
  /** 0–23 in CRS's time zone. */
  digestHour: number;
}

export const BUILT_IN_DEFAULTS: NotifyDefaults = {
  emailEvents: ['usage', 'expiry'],
  adminEmailEvents: ['system'],
  language: 'en',
  digest: false,
  digestHour: 9,
};

/** An event on its way into the outbox: who it is for, and the mark that makes it once only (decision 029). */
export interface RaisedEvent {
  event: NotificationEvent;
  /** The key's owner; undefined for admin events (every active admin). */
  userId?: string;
  mark?: MarkWrite;
}

/**
 * `subject` is raised at `level` only when its stored level is lower and, with `cooldownMs`, its last raise
 * is at least that old. `expiresAt`: when the mark may be dropped.
 */
export interface MarkWrite {
  subject: string;
  level: number;
  cooldownMs?: number;
  expiresAt?: Date;
}

export interface ChannelView {
  id: string;
  type: ChannelType;
  label: string;
  /** Where it goes, with its secrets left out: the address, a webhook's host, a token's last characters. */
  target: string;
  events: Category[];
  /** The account e-mail following the admin's defaults (its owner never chose). */
  followsDefaults: boolean;
  status: 'active' | 'paused';
  failures: number;
  pausedAt: string | null;
  pauseReason: string | null;
  verifiedAt: string | null;
  createdAt: string;
}
