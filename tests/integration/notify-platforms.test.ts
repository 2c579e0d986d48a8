import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier } from '../../src/infra/notify/index.js';
import { DEFAULT_PLATFORM_BASES } from '../../src/infra/notify/webhook/platforms/index.js';
import { HOSTILE_NAME, sampleMessage, testNotifier } from '../helpers/notify-fixtures.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

/**
 * Each platform's format against a loopback receiver standing in for the platform's API (NOTIFY_*_BASE_URL):
 * the receivers check what the platforms check — the path and token, the payload's shape, and for Feishu/Lark
 * and DingTalk their signing schemes, computed here from the platforms' documented recipes.
 */
let api: Receiver;
let notifier: Notifier;
const now = new Date();

beforeAll(async () => {
  api = await startReceiver();
  // The operator's base URLs are trusted: the SSRF guard (off here) is only for user-given webhook URLs.
  notifier = testNotifier(
    {
      webhookAllowPrivate: false,
      platformBaseUrls: {
        ...DEFAULT_PLATFORM_BASES,
        slack: `${api.url}/slack`,
        feishu: `${api.url}/feishu`,
        lark: `${api.url}/lark/`,
        dingtalk: `${api.url}/dingtalk`,
        wecom: `${api.url}/wecom`,
        telegram: `${api.url}/telegram`,
      },
    },
    { clock: () => now },
  );
});
afterAll(() => api.close());
afterEach(() => {
  api.requests.length = 0;
  api.answer(() => ({ status: 200, body: '{"ok":true}' }));
});

const only = () => {
  expect(api.requests).toHaveLength(1);
  return { ...api.requests[0], json: JSON.parse(api.requests[0].body) };
};

describe('Slack incoming webhook', () => {
  it('posts text and blocks to /services/<token>, with mentions and links in key names defused', async () => {
    api.answer(() => ({ status: 200, body: 'ok' }));
    const result = await notifier.send({ type: 'slack', token: 'T000/B000/XXXX' }, sampleMessage());
    expect(result).toEqual({ ok: true });
    const req = only();
    expect(req.path).toBe('/slack/services/T000/B000/XXXX');
    // The header is plain text (Slack parses no markup there); `text` is mrkdwn, so the name is escaped in it.
    expect(req.json.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    expect(req.json.blocks[0].text.text).toContain(HOSTILE_NAME);
    expect(req.json.text).toContain('&lt;!channel&gt; [click](https://evil.example) &lt;@all&gt; &amp;');
    expect(req.json.text).not.toContain('<!channel>');
    const mrkdwn: string = req.json.blocks[1].text.text;
    expect(mrkdwn).toContain('Used: $9.50 of $10.00');
    expect(mrkdwn).toContain('<https://portal.example.com/keys/k_42|Open the key>');
  });

  it('reads Slack’s statuses: 404 no_service is permanent, 429 is retried after Retry-After', async () => {
    api.answer(() => ({ status: 404, body: 'no_service' }));
    expect(await notifier.send({ type: 'slack', token: 'T000/B000/XXXX' }, sampleMessage())).toMatchObject({
      ok: false,
      retryable: false,
    });
    api.answer(() => ({ status: 429, headers: { 'retry-after': '30' }, body: 'rate_limited' }));
    expect(await notifier.send({ type: 'slack', token: 'T000/B000/XXXX' }, sampleMessage())).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 30_000,
    });
  });
});

describe('Feishu / Lark custom bot', () => {
  const secret = 'feishu-signing-secret';
  const feishuSignature = (timestamp: string) =>
    createHmac('sha256', `${timestamp}\n${secret}`).update(Buffer.alloc(0)).digest('base64');

  it('posts a signed rich-text message that Feishu’s signature check accepts', async () => {
    api.answer(() => ({ status: 200, body: '{"code":0,"msg":"success","data":{}}' }));
    const result = await notifier.send({ type: 'feishu', token: 'abc-123', secret }, sampleMessage('zh-CN'));
    expect(result).toEqual({ ok: true });
    const req = only();
    expect(req.path).toBe('/feishu/open-apis/bot/v2/hook/abc-123');
    // Feishu: the timestamp (seconds) within an hour of its clock, and the sign recomputed from it.
    expect(Math.abs(Number(req.json.timestamp) - now.getTime() / 1000)).toBeLessThan(3600);
    expect(req.json.sign).toBe(feishuSignature(req.json.timestamp));
    expect(req.json.msg_type).toBe('post');
    const post = req.json.content.post.zh_cn;
    expect(post.title).toContain('已用掉每日费用上限的 95%');
    expect(post.content).toContainEqual([{ tag: 'text', text: '已用：US$9.50 / US$10.00' }]);
    expect(post.content).toContainEqual([{ tag: 'a', text: '查看密钥', href: 'https://portal.example.com/keys/k_42' }]);
  });

  it('sends Lark to its own base, unsigned without a secret, in English', async () => {
    api.answer(() => ({ status: 200, body: '{"StatusCode":0,"StatusMessage":"success"}' }));
    expect(await notifier.send({ type: 'lark', token: 'abc-123' }, sampleMessage('en'))).toEqual({ ok: true });
    const req = only();
    expect(req.path).toBe('/lark/open-apis/bot/v2/hook/abc-123');
    expect(req.json.sign).toBeUndefined();
    expect(req.json.content.post.en_us.title).toContain('95%');
  });

  it('reads the error code in a 200 answer: a failed signature is permanent, a rate limit is retried', async () => {
    api.answer(() => ({
      status: 200,
      body: '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time","data":{}}',
    }));
    const refused = await notifier.send({ type: 'feishu', token: 'abc-123', secret }, sampleMessage());
    expect(refused).toMatchObject({ ok: false, retryable: false });
    expect(refused.ok || refused.error).toMatch(/Feishu error 19021: sign match fail/);
    api.answer(() => ({ status: 200, body: '{"code":11232,"msg":"frequency limited psm[lark.oapi]","data":{}}' }));
    expect(await notifier.send({ type: 'feishu', token: 'abc-123' }, sampleMessage())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});

describe('DingTalk robot', () => {
  const secret = 'SECdingtalk0123456789';

  it('posts markdown with timestamp and sign in the query, as DingTalk verifies them', async () => {
    api.answer(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    const result = await notifier.send({ type: 'dingtalk', token: 'a1b2c3', secret }, sampleMessage('zh-CN'));
    expect(result).toEqual({ ok: true });
    const req = only();
    expect(req.path).toBe('/dingtalk/robot/send');
    expect(req.query.get('access_token')).toBe('a1b2c3');
    const timestamp = req.query.get('timestamp') ?? '';
    expect(Math.abs(Number(timestamp) - now.getTime())).toBeLessThan(3_600_000);
    const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    expect(req.query.get('sign')).toBe(expected);
    expect(req.json.msgtype).toBe('markdown');
    const text: string = req.json.markdown.text;
    expect(text).toContain('[查看密钥](https://portal.example.com/keys/k_42)');
    // The key name's own link and tags cannot form markup.
    expect(text).not.toContain('[click](https://evil.example)');
    expect(text).toContain('［click］(https://evil.example)');
    expect(text).not.toMatch(/<@all>|<b>/);
  });

  it('reads errcode: "send too fast" is retried, a failed keyword/sign check is permanent', async () => {
    api.answer(() => ({
      status: 200,
      body: '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}',
    }));
    expect(await notifier.send({ type: 'dingtalk', token: 'a1b2c3' }, sampleMessage())).toMatchObject({
      ok: false,
      retryable: true,
    });
    api.answer(() => ({ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }));
    expect(await notifier.send({ type: 'dingtalk', token: 'a1b2c3', secret }, sampleMessage())).toMatchObject({
      ok: false,
      retryable: false,
      error: 'DingTalk error 310000: sign not match',
    });
  });
});

describe('WeCom group robot', () => {
  it('posts markdown to /cgi-bin/webhook/send?key=…', async () => {
    api.answer(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
    expect(await notifier.send({ type: 'wecom', token: 'uuid-key-1' }, sampleMessage('zh-CN'))).toEqual({ ok: true });
    const req = only();
    expect(req.path).toBe('/wecom/cgi-bin/webhook/send');
    expect(req.query.get('key')).toBe('uuid-key-1');
    expect(req.json.msgtype).toBe('markdown');
    const content: string = req.json.markdown.content;
    expect(content.startsWith('**<font color="warning">')).toBe(true);
    expect(content).toContain('[查看密钥](https://portal.example.com/keys/k_42)');
    expect(content).not.toMatch(/<@all>|<b>|\[click\]/);
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
  });

  it('reads errcode: 45009 (frequency) is retried, 93000 (invalid robot key) is permanent', async () => {
    api.answer(() => ({ status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' }));
    expect(await notifier.send({ type: 'wecom', token: 'k' }, sampleMessage())).toMatchObject({
      ok: false,
      retryable: true,
    });
    api.answer(() => ({ status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' }));
    expect(await notifier.send({ type: 'wecom', token: 'k' }, sampleMessage())).toMatchObject({
      ok: false,
      retryable: false,
    });
  });
});

describe('Telegram bot', () => {
  const channel = { type: 'telegram' as const, token: '123456:ABC-def_ghi', chatId: '-1001234' };

  it('calls sendMessage with HTML that escapes the key name', async () => {
    api.answer(() => ({ status: 200, body: '{"ok":true,"result":{"message_id":1}}' }));
    expect(await notifier.send(channel, sampleMessage())).toEqual({ ok: true });
    const req = only();
    expect(req.path).toBe('/telegram/bot123456:ABC-def_ghi/sendMessage');
    expect(req.json).toMatchObject({ chat_id: '-1001234', parse_mode: 'HTML' });
    expect(req.json.text).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(req.json.text).not.toContain('<b>x</b>');
    expect(req.json.text).toContain('<a href="https://portal.example.com/keys/k_42">Open the key</a>');
  });

  it('reads 429 retry_after, and a chat that does not exist as permanent', async () => {
    api.answer(() => ({
      status: 429,
      body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}',
    }));
    expect(await notifier.send(channel, sampleMessage())).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 3_000,
    });
    api.answer(() => ({
      status: 400,
      body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}',
    }));
    expect(await notifier.send(channel, sampleMessage())).toMatchObject({
      ok: false,
      retryable: false,
      error: 'Telegram 400: Bad Request: chat not found',
    });
  });
});

describe('platform tokens', () => {
  it('refuses a token that would change the request’s path, without sending anything', async () => {
    for (const channel of [
      { type: 'slack' as const, token: '../../admin' },
      { type: 'wecom' as const, token: 'k&debug=1' },
      { type: 'telegram' as const, token: '1:abc/../../x', chatId: '1' },
    ]) {
      expect(await notifier.send(channel, sampleMessage())).toMatchObject({ ok: false, retryable: false });
    }
    expect(api.requests).toHaveLength(0);
  });
});
