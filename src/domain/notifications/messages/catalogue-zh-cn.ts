import { type Catalogue, type Content, limitValue, thresholdSeverity } from './catalogue.js';
import type { ChangeableLimit, NotificationEvent } from './events.js';
import type { Fmt } from './format.js';
import type { Links } from './links.js';

/** The web UI's words (web/src/i18n/zh-CN.ts): 密钥, 限额, 每日费用上限 … */
const LIMITS: Record<ChangeableLimit, string> = {
  daily_cost: '每日费用上限',
  total_cost: '总费用上限',
  weekly_opus_cost: '每周 Opus 费用上限',
  window_cost: '每个窗口的费用上限',
  window_tokens: '每个窗口的 Token 上限',
  window_requests: '每个窗口的请求数上限',
  concurrency: '并发上限',
  rate_window: '限流窗口',
};

const WORDS = { none: '不限', tokens: '个 Token', requests: '次请求', minutes: '分钟' };

const RESETS: Record<string, string> = {
  daily_cost: '在 CRS 时区的当天结束前，使用此密钥的请求将被拒绝。',
  total_cost: '在上限调高之前，使用此密钥的请求将被拒绝。',
  weekly_opus_cost: '在本周额度重置之前，使用此密钥的 Opus 请求将被拒绝。',
  window_cost: '在当前窗口结束之前，使用此密钥的请求将被拒绝。',
  window_tokens: '在当前窗口结束之前，使用此密钥的请求将被拒绝。',
  window_requests: '在当前窗口结束之前，使用此密钥的请求将被拒绝。',
};

const ALERTS = {
  cache_hit_rate_low: '缓存命中率偏低',
  redis_memory_high: 'Redis 内存即将用满',
  route_latency_high: 'API 响应变慢',
};

function content(e: NotificationEvent, f: Fmt, links: Links): Content {
  const openKey = (id: string) => ({ label: '查看密钥', url: links.key(id) });
  const overview = { label: '打开管理概览', url: links.admin };
  switch (e.kind) {
    case 'usage_threshold': {
      const name = LIMITS[e.limit];
      const reached = e.threshold >= 100;
      const subject = reached
        ? `密钥「${e.key.name}」已达到${name}`
        : `密钥「${e.key.name}」已用掉${name}的 ${e.threshold}%`;
      const facts: Content['facts'] = [
        ['已用', `${limitValue(e.limit, e.used, f, WORDS)} / ${limitValue(e.limit, e.cap, f, WORDS)}`],
      ];
      if (e.windowMinutes) facts.push(['窗口', `${f.number(e.windowMinutes)} 分钟`]);
      if (e.resetsAt) facts.push(['重置时间', f.dateTime(e.resetsAt)]);
      return {
        severity: thresholdSeverity(e.threshold),
        subject,
        heading: subject,
        intro: reached
          ? RESETS[e.limit]
          : `用量已超过${name}的 ${e.threshold}%。达到 100% 后，使用此密钥的请求将被拒绝。`,
        facts,
        action: openKey(e.key.id),
      };
    }
    case 'key_expiring': {
      const subject = `密钥「${e.key.name}」将在${e.step === '7d' ? ' 7 天' : ' 1 天'}内到期`;
      return {
        severity: e.step === '7d' ? 'info' : 'warning',
        subject,
        heading: subject,
        intro: '到期后，使用此密钥的请求将被拒绝。如仍需使用，请在密钥页面修改到期日期。',
        facts: [['到期时间', f.dateTime(e.expiresAt)]],
        action: openKey(e.key.id),
      };
    }
    case 'key_expired':
      return {
        severity: 'critical',
        subject: `密钥「${e.key.name}」已过期`,
        heading: `密钥「${e.key.name}」已过期`,
        intro: '使用此密钥的请求现在会被拒绝。',
        facts: [['过期时间', f.dateTime(e.expiredAt)]],
        action: openKey(e.key.id),
      };
    case 'key_disabled':
      return {
        severity: 'critical',
        subject: `密钥「${e.key.name}」已被运营方停用`,
        heading: `密钥「${e.key.name}」已被运营方停用`,
        intro: '在管理员重新启用之前，使用此密钥的请求将被拒绝。如有疑问，请联系管理员。',
        facts: [],
        action: openKey(e.key.id),
      };
    case 'key_limits_changed':
      return {
        severity: 'info',
        subject: `运营方修改了密钥「${e.key.name}」的限额`,
        heading: `运营方修改了密钥「${e.key.name}」的限额`,
        intro: '新的限额即刻生效。',
        facts: e.changes.map((c) => [
          LIMITS[c.limit],
          `${limitValue(c.limit, c.from, f, WORDS)} → ${limitValue(c.limit, c.to, f, WORDS)}`,
        ]),
        action: openKey(e.key.id),
      };
    case 'sync_failing':
      return {
        severity: 'critical',
        subject: `用量同步失败（已连续 ${f.number(e.failures)} 次）`,
        heading: '用量同步失败',
        intro: '门户无法从 CRS 同步用量，用户看到的数据正在变旧。',
        facts: [
          ['失败次数', f.number(e.failures)],
          ['开始时间', f.dateTime(e.since)],
          ['最近错误', e.reason],
        ],
        action: overview,
      };
    case 'crs_unreachable':
      return {
        severity: 'critical',
        subject: '无法连接 CRS',
        heading: '无法连接 CRS',
        intro: '门户无法访问 CRS：密钥修改会失败，用量不会更新。',
        facts: [
          ['开始时间', f.dateTime(e.since)],
          ['错误', e.reason],
        ],
        action: overview,
      };
    case 'crs_credentials_rejected':
      return {
        severity: 'critical',
        subject: 'CRS 拒绝了门户的管理员凭据',
        heading: 'CRS 拒绝了门户的管理员凭据',
        intro: '请核对 CRS_ADMIN_USERNAME 和 CRS_ADMIN_PASSWORD 是否与 CRS 管理员账号一致。',
        facts: [['开始时间', f.dateTime(e.since)]],
        action: overview,
      };
    case 'alert': {
      const measured =
        e.alert === 'route_latency_high'
          ? `p95 ${f.seconds(e.value)}（上限 ${f.seconds(e.threshold)}）`
          : `${f.percent(e.value)}（${e.alert === 'cache_hit_rate_low' ? '应不低于' : '应不高于'} ${f.percent(e.threshold)}）`;
      const facts: Content['facts'] = [['测量值', measured]];
      if (e.where) facts.unshift([e.alert === 'route_latency_high' ? '路由' : '命名空间', e.where]);
      return {
        severity: 'warning',
        subject: `告警：${ALERTS[e.alert]}`,
        heading: ALERTS[e.alert],
        intro: '门户的一项告警条件正在触发，恢复之前健康检查会显示“降级”。',
        facts,
        action: overview,
      };
    }
    case 'channel_test':
      return {
        severity: 'info',
        subject: '来自 Claude Key Portal 的测试消息',
        heading: '此通知渠道工作正常',
        intro: '你为此渠道开启的通知将发送到这里。',
        facts: [],
        action: { label: '通知设置', url: links.settings },
      };
  }
}

export const zhCN: Catalogue = {
  language: 'zh-CN',
  colon: '：',
  content,
  limitName: (l) => LIMITS[l],
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
