import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/**
 * The portal as its own operating-system process (`node --import tsx src/main.ts`), for tests that kill it the
 * hard way. Its logs are JSON lines on stdout; the listening URL is read from them.
 */
export class PortalProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly logs: string[],
  ) {}

  static async start(env: Record<string, string>, timeoutMs = 30_000): Promise<PortalProcess> {
    const root = path.resolve(import.meta.dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      // Only what the test gives (plus PATH): nothing of the test runner's own environment leaks in.
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`portal did not start:\n${logs.join('')}`)), timeoutMs);
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          logs.push(line);
          const m = /"url":"(http:\/\/[^"]+)"/.exec(line);
          if (m && line.includes('listening')) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`portal exited with ${code}:\n${logs.join('\n')}`));
      });
    });
    return new PortalProcess(child, url, logs);
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests die with the process. */
  kill9(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** A clean stop (SIGTERM). */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  private signal(sig: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(sig);
    });
  }
}
