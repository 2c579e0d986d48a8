/**
 * What users choose to hear about (docs/decisions/030), with no imports: the HTTP schemas (and through them the
 * web app's type-check) read these lists. `system` is the admins' own (sync, CRS, the portal's alert conditions).
 */
export const USER_CATEGORIES = ['usage', 'expiry', 'operator'] as const;
export const CATEGORIES = [...USER_CATEGORIES, 'system'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Channels a user adds (the account e-mail is built in). */
export const ADDABLE_CHANNELS = ['webhook', 'slack', 'feishu', 'lark', 'dingtalk', 'wecom', 'telegram'] as const;
