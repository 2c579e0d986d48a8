import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The real start path (`node --import tsx src/main.ts`) as a child process, for start-up and multi-instance tests. */
export interface SpawnedPortal {
  child: ChildProcess;
  pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM (a clean stop), then SIGKILL if it has not ended within 10 s. */
  stop(): Promise<void>;
}

export function spawnPortal(env: Record<string, string>): SpawnedPortal {
  // Only what the portal needs: the test run's own variables (LOG_LEVEL=silent, …) must not leak in.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    pid: child.pid ?? -1,
    output: () => out,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200, failing early when the process ends. */
export async function waitListening(p: SpawnedPortal, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void p.exited.then(() => {
    ended = true;
  });
  while (Date.now() < deadline) {
    if (ended) throw new Error(`the portal exited during start-up:\n${p.output()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the portal did not answer within ${timeoutMs} ms:\n${p.output()}`);
}

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

  /** `logDir` defaults to a new temporary folder. */
  static async start(name: string, env: Record<string, string>, logDir?: string): Promise<PortalProcess> {
    const dir = logDir ?? mkdtempSync(path.join(os.tmpdir(), 'kp-portal-'));
    const portal = new PortalProcess(name, await freePort(), env, path.join(dir, `${name}.log`));
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
      const answered = await fetch(`${this.url}/api/meta`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (answered) return;
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
