import { describe, expect, it } from 'vitest';
import { channelIssues, tokenFromRobotUrl } from '../../src/infra/notify/channel-rules.js';
import { DEFAULT_PLATFORM_BASES } from '../../src/infra/notify/webhook/platforms/index.js';

describe('channel rules', () => {
  it('accepts well-formed channels of every type', () => {
    for (const channel of [
      { type: 'email', to: 'user@example.com' },
      { type: 'webhook', url: 'https://hooks.example.com/kp', secret: 'x'.repeat(16) },
      { type: 'slack', token: 'T0001/B0001/abcDEF123' },
      { type: 'feishu', token: '2f8a9c1e-0000-4000-8000-1234567890ab', secret: 'sign' },
      { type: 'lark', token: 'abc-123' },
      { type: 'dingtalk', token: 'a1b2c3d4e5f6' },
      { type: 'wecom', token: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa' },
      { type: 'telegram', token: '123456:ABC-def_ghi', chatId: '-1001234567890' },
      { type: 'telegram', token: '123456:ABC-def_ghi', chatId: '@portal_alerts' },
    ] as const) {
      expect(channelIssues(channel)).toEqual([]);
    }
  });

  it('names the bad field', () => {
    expect(channelIssues({ type: 'email', to: 'not-an-address' })).toEqual([
      { path: 'to', message: 'must be an email address' },
    ]);
    expect(channelIssues({ type: 'webhook', url: 'javascript:alert(1)', secret: 'short' })).toEqual([
      { path: 'url', message: 'must be an http(s) URL' },
      { path: 'secret', message: 'must be at least 16 characters' },
    ]);
    expect(channelIssues({ type: 'slack', token: 'T1/B2/../../x' })).toEqual([
      { path: 'token', message: 'not a slack token' },
    ]);
    expect(channelIssues({ type: 'dingtalk', token: 'abc&sign=forged' })[0].path).toBe('token');
    expect(channelIssues({ type: 'telegram', token: '1:a', chatId: 'everyone' })).toEqual([
      { path: 'chatId', message: 'must be a chat id or @name' },
    ]);
  });

  it('reads the token from the robot URL a user pastes', () => {
    expect(tokenFromRobotUrl('slack', 'https://hooks.slack.com/services/T0001/B0001/abcDEF123')).toBe(
      'T0001/B0001/abcDEF123',
    );
    expect(tokenFromRobotUrl('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/abc-123')).toBe('abc-123');
    expect(tokenFromRobotUrl('lark', 'https://open.larksuite.com/open-apis/bot/v2/hook/abc-123')).toBe('abc-123');
    expect(tokenFromRobotUrl('dingtalk', 'https://oapi.dingtalk.com/robot/send?access_token=a1b2c3')).toBe('a1b2c3');
    expect(tokenFromRobotUrl('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k-1')).toBe('k-1');
    expect(tokenFromRobotUrl('telegram', 'https://api.telegram.org/bot123456:ABC-def/getMe')).toBe('123456:ABC-def');
  });

  it("takes tokens only from the platform's host or the operator's base", () => {
    expect(tokenFromRobotUrl('slack', 'https://evil.example/services/T1/B1/x')).toBeUndefined();
    expect(tokenFromRobotUrl('feishu', 'https://open.larksuite.com/open-apis/bot/v2/hook/abc')).toBeUndefined();
    expect(tokenFromRobotUrl('slack', 'http://hooks.slack.com/services/T1/B1/x')).toBeUndefined();
    expect(tokenFromRobotUrl('wecom', 'https://qyapi.weixin.qq.com/cgi-bin/other?key=k')).toBeUndefined();
    const bases = { ...DEFAULT_PLATFORM_BASES, telegram: 'https://tg-proxy.example.com' };
    expect(tokenFromRobotUrl('telegram', 'https://tg-proxy.example.com/bot1:abc/sendMessage', bases)).toBe('1:abc');
  });
});
