import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedAddress, Resolver } from '../../src/infra/notify/ssrf/guard.js';
import { sampleMessage, testNotifier } from '../helpers/notify-fixtures.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

/**
 * The SSRF guard on the real send path. With the guard on (WEBHOOK_ALLOW_PRIVATE unset), a user-given URL that
 * points — literally or through DNS — at an address outside the public internet is refused before any
 * connection; a loopback receiver proves nothing was sent. With it off, the same receiver is reached.
 */
const SECRET = 'whsec_ssrf_0123456789';
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

/** A resolver standing in for DNS: answers from the table, counting the questions. */
function dns(table: Record<string, string[] | (() => string[])>) {
  const asked: string[] = [];
  const resolve: Resolver = async (host) => {
    asked.push(host);
    const entry = table[host];
    const list = typeof entry === 'function' ? entry() : (entry ?? []);
    return list.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

const send = (url: string, allowPrivate = false, resolve?: Resolver) =>
  testNotifier({ webhookAllowPrivate: allowPrivate }, { resolve }).send(
    { type: 'webhook', url, secret: SECRET },
    sampleMessage(),
  );

describe('SSRF guard (WEBHOOK_ALLOW_PRIVATE off)', () => {
  const port = () => receiver.port;

  it.each([
    ['loopback', () => `https://127.0.0.1:${port()}/hook`],
    ['loopback', () => `https://[::1]:${port()}/hook`],
    ['loopback', () => `https://[::ffff:127.0.0.1]:${port()}/hook`],
    ['loopback', () => `https://[::ffff:7f00:1]:${port()}/hook`],
    ['loopback', () => `https://[64:ff9b::7f00:1]:${port()}/hook`],
    ['private', () => 'https://10.0.0.5/hook'],
    ['private', () => 'https://172.20.1.1/hook'],
    ['private', () => 'https://192.168.1.10/hook'],
    ['private', () => 'https://[2002:c0a8:101::1]/hook'],
    ['link-local', () => 'https://169.254.10.10/hook'],
    ['link-local', () => 'https://[fe80::1]/hook'],
    ['metadata', () => 'https://169.254.169.254/latest/meta-data/'],
    ['metadata', () => 'https://[::ffff:169.254.169.254]/latest/meta-data/'],
    ['metadata', () => 'https://[fd00:ec2::254]/latest/meta-data/'],
    ['cgnat', () => 'https://100.64.0.1/hook'],
    ['multicast', () => 'https://224.0.0.251/hook'],
    ['multicast', () => 'https://[ff02::1]/hook'],
    ['unique-local', () => 'https://[fd12:3456:789a::1]/hook'],
    ['unspecified', () => `https://0.0.0.0:${port()}/hook`],
  ])('refuses a %s address (%s)', async (cls, url) => {
    const result = await send(url());
    expect(result).toMatchObject({ ok: false, retryable: false, scope: 'channel' });
    expect(result.ok || result.error).toContain(`${cls} addresses are not allowed`);
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a host name whose DNS answer is private, and one that mixes public and private answers', async () => {
    const { resolve } = dns({ 'internal.example': ['10.1.2.3'], 'mixed.example': ['93.184.215.14', '127.0.0.1'] });
    const internal = await send('https://internal.example/hook', false, resolve);
    expect(internal.ok || internal.error).toBe(
      'refused: internal.example resolves to 10.1.2.3: private addresses are not allowed for webhooks',
    );
    const mixed = await send(`https://mixed.example:${receiver.port}/hook`, false, resolve);
    expect(mixed).toMatchObject({ ok: false, retryable: false });
    expect(mixed.ok || mixed.error).toContain('resolves to 127.0.0.1');
    expect(receiver.requests).toHaveLength(0);
  });

  it('retries a name that does not resolve now (DNS failures are usually temporary)', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN hooks.example.com'), { code: 'EAI_AGAIN' });
    };
    expect(await send('https://hooks.example.com/x', false, failing)).toEqual({
      ok: false,
      error: 'DNS lookup failed (EAI_AGAIN)',
      retryable: true,
      scope: 'channel',
    });
  });

  it('refuses localhost as the system resolver answers it', async () => {
    const result = await send(`https://localhost:${receiver.port}/hook`);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok || result.error).toContain('loopback addresses are not allowed');
  });

  it('requires https, and refuses what is not a URL', async () => {
    expect(await send(`http://hooks.example.com/x`)).toMatchObject({
      ok: false,
      retryable: false,
      error: 'refused: only https URLs',
    });
    expect(await send(`ftp://hooks.example.com/x`)).toMatchObject({ ok: false, retryable: false });
    expect(await send('not a url')).toMatchObject({ ok: false, error: 'invalid channel: url must be an http(s) URL' });
  });
});

describe('SSRF guard (WEBHOOK_ALLOW_PRIVATE=true)', () => {
  it('reaches a loopback receiver over http', async () => {
    receiver.requests.length = 0;
    expect(await send(`${receiver.url}/hook`, true)).toEqual({ ok: true });
    expect(receiver.requests).toHaveLength(1);
  });

  it('still refuses cloud metadata endpoints', async () => {
    const result = await send('http://169.254.169.254/latest/meta-data/', true);
    expect(result.ok || result.error).toContain('metadata addresses are not allowed');
  });
});

describe('DNS rebinding', () => {
  let decoy: Receiver;
  beforeAll(async () => {
    // Same port, another loopback address: where a second DNS answer would send the connection.
    decoy = await startReceiver('127.0.0.2', receiver.port);
  });
  afterAll(() => decoy.close());

  it('connects to the address it checked, asking DNS once, whatever DNS answers next', async () => {
    receiver.requests.length = 0;
    let n = 0;
    const { resolve, asked } = dns({ 'rebind.example': () => (n++ === 0 ? ['127.0.0.1'] : ['127.0.0.2']) });
    const result = await send(`http://rebind.example:${receiver.port}/hook`, true, resolve);

    expect(result).toEqual({ ok: true });
    expect(asked).toEqual(['rebind.example']);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].localAddress).toBe('127.0.0.1');
    // The receiver sees the name the user gave (Host), not the address it was pinned to.
    expect(receiver.requests[0].headers.host).toBe(`rebind.example:${receiver.port}`);
    expect(decoy.requests).toHaveLength(0);
  });
});
