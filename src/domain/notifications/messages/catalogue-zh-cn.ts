import type { Catalogue } from './catalogue.js';

const CHANNEL_TYPES = {
  email: '邮件',
  webhook: 'Webhook',
  slack: 'Slack',
  feishu: '飞书',
  lark: 'Lark',
  dingtalk: '钉钉',
  wecom: '企业微信',
  telegram: 'Telegram',
};

const WINDOW_ENDS = '在当前窗口结束之前，使用此密钥的请求将被拒绝。';

/** The web UI's words (web/src/i18n/zh-CN.ts): 密钥, 限额, 每日费用上限 … */
export const zhCN: Catalogue = {
  language: 'zh-CN',
  colon: '：',
  limits: {
    daily_cost: '每日费用上限',
    total_cost: '总费用上限',
    weekly_opus_cost: '每周 Opus 费用上限',
    window_cost: '每个窗口的费用上限',
    window_tokens: '每个窗口的 Token 上限',
    window_requests: '每个窗口的请求数上限',
    concurrency: '并发上限',
    rate_window: '限流窗口',
  },
  units: { none: '不限', tokens: '个 Token', requests: '次请求', minutes: '分钟' },
  actions: { openKey: '查看密钥', openAdmin: '打开管理概览', settings: '通知设置' },
  usage: {
    crossed: (key, limit, t) => `密钥「${key}」已用掉${limit}的 ${t}%`,
    reached: (key, limit) => `密钥「${key}」已达到${limit}`,
    crossedIntro: (limit, t) => `用量已超过${limit}的 ${t}%。达到 100% 后，使用此密钥的请求将被拒绝。`,
    reachedIntro: {
      daily_cost: '在 CRS 时区的当天结束前，使用此密钥的请求将被拒绝。',
      total_cost: '在上限调高之前，使用此密钥的请求将被拒绝。',
      weekly_opus_cost: '在本周额度重置之前，使用此密钥的 Opus 请求将被拒绝。',
      window_cost: WINDOW_ENDS,
      window_tokens: WINDOW_ENDS,
      window_requests: WINDOW_ENDS,
    },
    used: '已用',
    usedValue: (used, cap) => `${used} / ${cap}`,
    window: '窗口',
    resets: '重置时间',
  },
  expiring: {
    subject: (key, step) => `密钥「${key}」将在 ${step === '7d' ? '7' : '1'} 天内到期`,
    intro: '到期后，使用此密钥的请求将被拒绝。如仍需使用，请在密钥页面修改到期日期。',
    expires: '到期时间',
  },
  expired: {
    subject: (key) => `密钥「${key}」已过期`,
    intro: '使用此密钥的请求现在会被拒绝。',
    expired: '过期时间',
  },
  disabled: {
    subject: (key) => `密钥「${key}」已被运营方停用`,
    intro: '在管理员重新启用之前，使用此密钥的请求将被拒绝。如有疑问，请联系管理员。',
  },
  limitsChanged: {
    subject: (key) => `运营方修改了密钥「${key}」的限额`,
    intro: '新的限额即刻生效。',
  },
  syncFailing: {
    subject: (n) => `用量同步失败（已连续 ${n} 次）`,
    heading: '用量同步失败',
    intro: '门户无法从 CRS 同步用量，用户看到的数据正在变旧。',
    failures: '失败次数',
  },
  crsUnreachable: {
    subject: '无法连接 CRS',
    intro: '门户无法访问 CRS：密钥修改会失败，用量不会更新。',
  },
  crsCredentials: {
    subject: 'CRS 拒绝了门户的管理员凭据',
    intro: '请核对 CRS_ADMIN_USERNAME 和 CRS_ADMIN_PASSWORD 是否与 CRS 管理员账号一致。',
  },
  alert: {
    names: {
      cache_hit_rate_low: '缓存命中率偏低',
      redis_memory_high: 'Redis 内存即将用满',
      route_latency_high: 'API 响应变慢',
    },
    subject: (name) => `告警：${name}`,
    intro: '门户的一项告警条件正在触发，恢复之前健康检查会显示“降级”。',
    measured: '测量值',
    route: '路由',
    namespace: '命名空间',
    latency: (v, limit) => `p95 ${v}（上限 ${limit}）`,
    atLeast: (v, limit) => `${v}（应不低于 ${limit}）`,
    atMost: (v, limit) => `${v}（应不高于 ${limit}）`,
  },
  channelTest: {
    subject: '来自 Claude Key Portal 的测试消息',
    heading: '此通知渠道工作正常',
    intro: '你为此渠道开启的通知将发送到这里。',
  },
  channelPaused: {
    subject: (channel) => `发往「${channel}」的通知已暂停`,
    intro: '此渠道连续投递失败，门户已停止向它发送。修复后，请在通知设置中发送一条测试消息以恢复。',
    channel: '渠道',
    failures: '连续失败次数',
    types: CHANNEL_TYPES,
  },
  unsubscribe: {
    title: '通知邮件',
    confirm: (address) => `不再向 ${address} 发送通知邮件？`,
    button: '退订',
    done: (address) => `已停止向 ${address} 发送通知邮件。可在通知设置中重新开启，或选择其他通知渠道。`,
    invalid: '此退订链接无效或已失效。',
    settings: '通知设置',
  },
  admin: { since: '开始时间', error: '错误', lastError: '最近错误' },
  footer: {
    why: (audience, host) =>
      audience === 'admin'
        ? `你是 ${host} 上 Claude Key Portal 的管理员，因此收到此邮件。`
        : `你在 ${host} 的账号开启了通知，因此收到此邮件。`,
    settings: '通知设置',
    unsubscribe: '退订',
  },
  digest: {
    subject: (n) => `Claude Key Portal：${n} 条通知`,
    heading: '通知摘要',
    intro: (n) => `自上次摘要以来有 ${n} 条新通知。`,
    more: (n) => `……另有 ${n} 条`,
    open: '打开门户',
  },
};
