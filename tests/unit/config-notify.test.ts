import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('notification settings', () => {
  it('has no e-mail, a guarded webhook and the platforms’ own APIs by default', () => {
    const { notify } = loadConfig({});
    expect(notify).toEqual({
      smtpUrl: undefined,
      mailFrom: undefined,
      webhookAllowPrivate: false,
      timeoutMs: 10_000,
      platformBaseUrls: {
        slack: 'https://hooks.slack.com',
        feishu: 'https://open.feishu.cn',
        lark: 'https://open.larksuite.com',
        dingtalk: 'https://oapi.dingtalk.com',
        wecom: 'https://qyapi.weixin.qq.com',
        telegram: 'https://api.telegram.org',
      },
      deliveryIntervalMs: 15_000,
      cooldownMs: 3_600_000,
      logDays: 90,
    });
  });

  it('reads SMTP, the SSRF switch and platform base URLs', () => {
    const { notify } = loadConfig({
      SMTP_URL: 'smtps://portal:secret@smtp.example.com:465',
      MAIL_FROM: 'Key Portal <noreply@example.com>',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      NOTIFY_TIMEOUT_MS: '5000',
      NOTIFY_TELEGRAM_BASE_URL: 'https://tg-proxy.example.com/api',
    });
    expect(notify).toMatchObject({
      smtpUrl: 'smtps://portal:secret@smtp.example.com:465',
      mailFrom: 'Key Portal <noreply@example.com>',
      webhookAllowPrivate: true,
      timeoutMs: 5000,
    });
    expect(notify.platformBaseUrls.telegram).toBe('https://tg-proxy.example.com/api');
    expect(notify.platformBaseUrls.slack).toBe('https://hooks.slack.com');
  });

  it.each([
    [{ SMTP_URL: 'http://smtp.example.com' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://smtp.example.com' }, 'MAIL_FROM: required'],
    [{ MAIL_FROM: 'a@example.com' }, 'SMTP_URL: required'],
    [{ SMTP_URL: 'smtp://smtp.example.com', MAIL_FROM: 'not an address' }, 'MAIL_FROM: must be'],
    [{ WEBHOOK_ALLOW_PRIVATE: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE'],
    [{ NOTIFY_TIMEOUT_MS: '10' }, 'NOTIFY_TIMEOUT_MS'],
    [{ NOTIFY_SLACK_BASE_URL: 'ftp://x.example.com' }, 'NOTIFY_SLACK_BASE_URL'],
    [{ NOTIFY_WECOM_BASE_URL: 'https://x.example.com/?key=1' }, 'NOTIFY_WECOM_BASE_URL'],
  ])('names the bad variable in %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });
});
