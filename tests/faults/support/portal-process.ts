import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../support/free-port.js';
import { call } from './http.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/** Portal processes still running: if the test process exits without closing its stack, they go with it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * One portal instance as a real process, started the way an operator would (`node --import tsx src/main.ts`,
 * configured only through its environment). tsx rather than a build: no build step in the suite, always the
 * current sources, about a second more per start. Its output goes to a log file the failure messages point at.
 */
export class PortalProcess {
  private child?: ChildProcess;
  private exit?: Promise<number | null>;
  readonly url: string;

  private constructor(
    readonly name: string,
    readonly port: number,
    readonly env: Record<string, string>,
    readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(name: string, env: Record<string, string>, logDir: string): Promise<PortalProcess> {
    const portal = new PortalProcess(name, await freePort(), env, path.join(logDir, `${name}.log`));
    await portal.start();
    return portal;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process (again, on the same port) and waits until it answers. */
  async start(): Promise<void> {
    if (this.child) return;
    const log = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.child = child;
    live.add(child);
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exit.then(() => {
      live.delete(child);
      if (this.child === child) this.child = undefined;
    });
    await this.waitAnswering(90_000);
  }

  private async waitAnswering(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`portal ${this.name} exited during start-up:\n${this.logTail()}`);
      if ((await call(this.url, '/api/meta', { timeoutMs: 2000 })).status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`portal ${this.name} did not answer within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** `kill -9`: no shutdown hook runs, requests in flight are cut. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM (the portal's graceful stop), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    const exit = this.exit;
    if (!this.child || !exit) return;
    this.child.kill('SIGTERM');
    const done = await Promise.race([exit.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
    if (!done) await this.signal('SIGKILL');
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const exit = this.exit;
    if (!this.child || !exit) return;
    this.child.kill(sig);
    await exit;
  }

  /** The end of the process's log, for failure messages. */
  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
