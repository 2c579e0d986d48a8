import { z } from 'zod';
import { ADDABLE_CHANNELS, CATEGORIES, USER_CATEGORIES } from '../../domain/notifications/categories.js';
import { paged, pageQuery, singleLine } from './common.js';

/** /api/notifications: preferences, channels, the delivery log and the admin's defaults (docs/decisions/030). */

const category = z.enum(CATEGORIES);
const language = z.enum(['en', 'zh-CN']);
const hour = z.number().int().min(0, { message: 'must be 0–23' }).max(23, { message: 'must be 0–23' });
const categories = z
  .array(category)
  .max(CATEGORIES.length)
  .refine((a) => new Set(a).size === a.length, { message: 'must not repeat a category' });
const channelType = z.enum(['email', ...ADDABLE_CHANNELS]);

export const channelView = z.object({
  id: z.string(),
  type: channelType,
  label: z.string(),
  /** Where it goes, secrets left out: the address, a webhook's origin, a token's last characters. */
  target: z.string(),
  events: z.array(category),
  followsDefaults: z.boolean(),
  status: z.enum(['active', 'paused']),
  failures: z.number(),
  pausedAt: z.string().nullable(),
  pauseReason: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const settingsResponse = z.object({
  emailAvailable: z.boolean(),
  language,
  digest: z.object({ enabled: z.boolean(), hour: z.number() }),
  categories: z.array(category),
  channels: z.array(channelView),
});

export const settingsPatch = z.strictObject({
  language: language.optional(),
  digest: z.strictObject({ enabled: z.boolean().optional(), hour: hour.optional() }).optional(),
});

export const channelCreateBody = z.strictObject({
  type: z.enum(ADDABLE_CHANNELS),
  label: singleLine(0, 60).default(''),
  events: categories.default([...USER_CATEGORIES]),
  /** A generic webhook's URL, or a platform robot's URL as the platform shows it (its token is read from it). */
  url: singleLine(1, 2048).optional(),
  /** A webhook's signing secret (made when left out, answered once), or a Feishu/Lark/DingTalk robot's. */
  secret: singleLine(1, 200).optional(),
  token: singleLine(1, 200).optional(),
  chatId: singleLine(1, 40).optional(),
});

export const channelCreated = z.object({
  channel: channelView,
  /** Only when the portal made the webhook's secret: shown this once. */
  secret: z.string().optional(),
});

export const channelPatch = z.strictObject({
  label: singleLine(0, 60).optional(),
  /** null: the account e-mail follows the admin's defaults again; [] turns a channel off. */
  events: categories.nullable().optional(),
});

export const testResult = z.object({ ok: z.boolean(), error: z.string().optional(), channel: channelView });

const deliveryState = z.enum(['pending', 'sending', 'delivered', 'failed', 'held', 'digested', 'cancelled']);

export const logQuery = z.strictObject({ ...pageQuery(20), state: deliveryState.optional() });
export const adminLogQuery = z.strictObject({
  ...pageQuery(20),
  state: deliveryState.optional(),
  userId: z.uuid({ message: 'must be a UUID' }).optional(),
});

export const logEntry = z.object({
  id: z.number(),
  eventId: z.string(),
  type: z.string(),
  subject: z.string(),
  channel: z.object({ id: z.string().nullable(), type: z.string(), label: z.string() }),
  state: deliveryState,
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  recipient: z.string().optional(),
});
export const logPage = paged(logEntry);

export const defaultsBody = z.strictObject({
  emailEvents: z.array(z.enum(USER_CATEGORIES)).max(USER_CATEGORIES.length).optional(),
  adminEmailEvents: categories.optional(),
  language: language.optional(),
  digest: z.boolean().optional(),
  digestHour: hour.optional(),
});
export const defaultsResponse = z.object({
  emailEvents: z.array(category),
  adminEmailEvents: z.array(category),
  language,
  digest: z.boolean(),
  digestHour: z.number(),
});

export const unsubscribeParams = z.strictObject({ token: z.string().min(1).max(200) });

export type NotificationCategory = z.infer<typeof category>;
export type ChannelView = z.infer<typeof channelView>;
export type NotificationSettings = z.infer<typeof settingsResponse>;
export type SettingsPatch = z.input<typeof settingsPatch>;
export type ChannelCreateBody = z.input<typeof channelCreateBody>;
export type ChannelCreated = z.infer<typeof channelCreated>;
export type ChannelPatch = z.input<typeof channelPatch>;
export type TestResult = z.infer<typeof testResult>;
export type DeliveryLogEntry = z.infer<typeof logEntry>;
export type DeliveryLogPage = z.infer<typeof logPage>;
export type NotifyDefaults = z.infer<typeof defaultsResponse>;
export type DefaultsBody = z.input<typeof defaultsBody>;
