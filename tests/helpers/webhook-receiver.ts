import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The local address the connection arrived at (which loopback address a sender connected to). */
  localAddress: string | undefined;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the sender's deadline is what ends the exchange). */
  hang?: boolean;
}

export interface Receiver {
  /** `http://<host>:<port>`: a platform base URL or the start of a webhook URL. */
  url: string;
  host: string;
  port: number;
  requests: ReceivedRequest[];
  /** How the next requests are answered (200 `{"ok":true}` until set). */
  answer(fn: (req: ReceivedRequest) => Answer): void;
  close(): Promise<void>;
}

/**
 * A webhook receiver on loopback, in the test process: records every request with its raw body (signatures are
 * over the bytes sent) and answers as the test says. Tests verify signatures themselves from what it recorded.
 */
export async function startReceiver(host = '127.0.0.1', port = 0): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let respond: (req: ReceivedRequest) => Answer = () => ({ status: 200, body: '{"ok":true}' });
  const server = http.createServer((req, res) => {
    // A sender killed mid-request (the fault suite's kill -9) resets the connection: that is the test, not an error.
    req.on('error', () => {});
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        localAddress: req.socket.localAddress,
      };
      requests.push(received);
      const a = respond(received);
      if (a.hang) return;
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    host,
    port: bound,
    requests,
    answer(fn) {
      respond = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
