import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sign, verifySignature } from '../../src/infra/notify/webhook/signature.js';

const secret = 'whsec_0123456789abcdef';
const body = '{"id":"evt_1","text":"密钥「测试」"}';
const t = 1_750_000_000;

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<t>.<body>" in hex, as docs/webhooks.md says', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
    expect(sign(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies a signature it made', () => {
    expect(verifySignature(secret, sign(secret, body, t), body, t + 10)).toEqual({ ok: true });
  });

  it('refuses a changed body, another secret, and a missing or malformed header', () => {
    const header = sign(secret, body, t);
    expect(verifySignature(secret, header, body.replace('测试', '测验'), t).ok).toBe(false);
    expect(verifySignature('another-secret-value', header, body, t).ok).toBe(false);
    expect(verifySignature(secret, undefined, body, t)).toEqual({ ok: false, reason: 'no signature header' });
    expect(verifySignature(secret, 'v1=abc', body, t).ok).toBe(false);
  });

  it('refuses a replay with a moved timestamp and an old request', () => {
    const header = sign(secret, body, t);
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 100}`), body, t + 100).ok).toBe(false);
    expect(verifySignature(secret, header, body, t + 301)).toEqual({
      ok: false,
      reason: 'timestamp outside the tolerance',
    });
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const old = sign('the-old-secret-value', body, t).split(',')[1];
    const header = `${sign(secret, body, t)},${old}`;
    expect(verifySignature('the-old-secret-value', header, body, t).ok).toBe(true);
    expect(verifySignature(secret, header, body, t).ok).toBe(true);
  });
});

describe('the verification snippet in docs/webhooks.md', () => {
  it('accepts what the portal signs and refuses a tampered body', async () => {
    const doc = readFileSync('docs/webhooks.md', 'utf8');
    const code = doc.match(/```js\n([\s\S]*?)```/)?.[1];
    expect(code).toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'kp-snippet-'));
    const file = path.join(dir, 'verify.mjs');
    writeFileSync(file, code ?? '');
    const { verify } = (await import(pathToFileURL(file).href)) as {
      verify: (secret: string, header: string, raw: string) => boolean;
    };
    const now = Math.floor(Date.now() / 1000);
    expect(verify(secret, sign(secret, body, now), body)).toBe(true);
    expect(verify(secret, sign(secret, body, now), `${body} `)).toBe(false);
    expect(verify(secret, sign(secret, body, now - 3600), body)).toBe(false);
  });
});
