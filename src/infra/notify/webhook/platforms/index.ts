import type { Platform } from '../../types.js';
import { dingtalk } from './dingtalk.js';
import { feishu } from './feishu.js';
import type { PlatformToken } from './format.js';
import { slack } from './slack.js';
import { telegram } from './telegram.js';
import { wecom } from './wecom.js';

export const PLATFORM_TOKENS: Record<Platform, PlatformToken> = {
  slack,
  feishu,
  lark: feishu,
  dingtalk,
  wecom,
  telegram,
};

export const PLATFORM_NAMES: readonly Platform[] = ['slack', 'feishu', 'lark', 'dingtalk', 'wecom', 'telegram'];

/** Where each platform's API is when the operator sets nothing (NOTIFY_<PLATFORM>_BASE_URL overrides). */
export const DEFAULT_PLATFORM_BASES: Record<Platform, string> = {
  slack: 'https://hooks.slack.com',
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
  dingtalk: 'https://oapi.dingtalk.com',
  wecom: 'https://qyapi.weixin.qq.com',
  telegram: 'https://api.telegram.org',
};
