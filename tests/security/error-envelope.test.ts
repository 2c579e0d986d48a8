import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type AddressInfo, connect } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { expectError } from '../helpers/security-suite.js';

/*
 * Issue 10, point 9: every error is the docs/api.md envelope with a request id and the security headers, including
 * the ones Fastify and Node's HTTP parser raise before any route runs; a body over the limit is answered 413 in a
 * way common clients can read.
 */
const t = await createTestApp();
await t.app.listen({ port: 0, host: '127.0.0.1' });
const port = (t.app.server.address() as AddressInfo).port;

/** Sends raw bytes, answers the raw response (status line, headers, body). */
function raw(bytes: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (c) => (text += c));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, body] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.end(bytes);
  });
}

const expectEnvelope = (
  res: { status: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) => {
  expect(res.status, res.body).toBe(status);
  const { error } = JSON.parse(res.body);
  expect(error).toMatchObject({ code, message: expect.any(String), requestId: expect.any(String) });
  expect(res.headers['x-request-id']).toBe(error.requestId);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toContain("default-src 'self'");
};

describe('framework errors in the envelope', () => {
  it('a URL that does not decode (/api/keys/%c0) → 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/keys/%c0' });
    expectEnvelope({ status: res.statusCode, headers: res.headers, body: res.body }, 400, 'bad_request');
    expect(res.json().error.details).toEqual([{ path: 'url', message: 'malformed encoding' }]);
  });

  it('an unknown route → 404', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/api/nothing/here' });
    expectEnvelope({ status: res.statusCode, headers: res.headers, body: res.body }, 404, 'not_found');
  });

  it('headers over the size limit (a cookie bomb) → 431 headers_too_large', async () => {
    const res = await raw(`GET /api/meta HTTP/1.1\r\nHost: x\r\nCookie: c=${'a'.repeat(20_000)}\r\n\r\n`);
    expectEnvelope(res, 431, 'headers_too_large');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('a malformed request → 400 bad_request', async () => {
    expectEnvelope(await raw('GARBAGE\r\n\r\n'), 400, 'bad_request');
  });
});

describe('a 5 MB body', () => {
  const FIVE_MB = 5 * 2 ** 20;

  it('is answered 413 after being read: a client that sends everything, then reads, gets the answer', async () => {
    // Like Python's urllib: the whole body is written before the answer is read; a server that answers and closes
    // early makes that write fail (EPIPE/ECONNRESET) and the 413 is never seen.
    const res = await new Promise<{ status: number; headers: Record<string, string>; body: string }>(
      (resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let text = '';
        socket.on('error', reject);
        const body = `{"email":"${'x'.repeat(FIVE_MB)}"}`;
        const head = `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
        socket.write(head + body, (err) => {
          if (err) return reject(err);
          socket.on('data', (c) => (text += c));
          socket.on('end', () => {
            const [headPart, bodyPart] = text.split('\r\n\r\n');
            const [statusLine, ...lines] = headPart.split('\r\n');
            const headers = Object.fromEntries(
              lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
            );
            resolve({ status: Number(statusLine.split(' ')[1]), headers, body: bodyPart });
          });
        });
      },
    );
    expectEnvelope(res, 413, 'payload_too_large');
  });

  it('is answered 413 through fetch', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(FIVE_MB),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((p) => existsSync(p));
  it.runIf(python)('is answered 413 to Python’s urllib', async () => {
    const script = `
import json, urllib.request, urllib.error
req = urllib.request.Request("http://127.0.0.1:${port}/api/auth/login", data=b"x" * ${FIVE_MB}, headers={"content-type": "application/json"})
try:
    urllib.request.urlopen(req)
    print("no error")
except urllib.error.HTTPError as e:
    print(e.code, json.loads(e.read())["error"]["code"])
`;
    const { stdout } = await promisify(execFile)(python!, ['-c', script]);
    expect(stdout.trim()).toBe('413 payload_too_large');
  });

  it('still fails fast when the declared body is beyond the drain bound', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'content-length': String(64 * 2 ** 20) },
      payload: '{}',
    });
    expectError(res, 413, 'payload_too_large');
  });
});
