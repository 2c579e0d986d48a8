import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { isRoot, run } from './exec.js';
import { freePort } from './free-port.js';

/** A throwaway redis-server on 127.0.0.1 that tests can stop and start again on the same port. */
export class RedisServer {
  private child?: ChildProcess;
  private constructor(
    readonly bin: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(port?: number): Promise<RedisServer> {
    const server = new RedisServer(await ensureRedisBinary(), port ?? (await freePort()));
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const child = spawn(this.bin, args, { stdio: 'ignore' });
    this.child = child;
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await waitForPort(this.port, 10_000);
  }

  /** Kills the server (SIGKILL, like a crash) and waits until the port is closed. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

let binary: Promise<string> | undefined;

function ensureRedisBinary(): Promise<string> {
  binary ??= (async () => {
    const found = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
    if (found) return found;
    if (!isRoot()) {
      throw new Error('redis-server is not installed. Install it (apt-get install -y redis-server) and run again.');
    }
    await run('apt-get', ['update', '-qq']);
    await run('apt-get', ['install', '-y', '-qq', 'redis-server']);
    if (!existsSync('/usr/bin/redis-server')) throw new Error('apt-get install redis-server did not provide it');
    return '/usr/bin/redis-server';
  })();
  return binary;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`);
}
