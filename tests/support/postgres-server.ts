import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isRoot, run } from './exec.js';
import { freePort } from './free-port.js';

/**
 * A throwaway PostgreSQL cluster from the system binaries (tests and the benchmark). PostgreSQL refuses to run
 * as root, so as root every command runs as the `postgres` user on a directory that user owns.
 */
export interface PostgresServer {
  url: string;
  port: number;
  /** Stops the server but keeps its data (a restart test starts it again on the same port). */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

function findBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) {
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them: apt-get install -y postgresql',
    );
  }
  return path.join(base, versions[0], 'bin');
}

/** `password`: TCP connections must give it (scram-sha-256), as on a real server; default: trust. */
export async function startPostgres(options: { password?: string } = {}): Promise<PostgresServer> {
  const bin = findBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-pg-'));
  const asPg = isRoot();
  const exec = (cmd: string, args: string[]) =>
    asPg ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args);
  const auth = ['--auth=trust'];
  if (options.password) {
    writeFileSync(path.join(dir, 'pw'), options.password);
    auth.push('--auth-host=scram-sha-256', `--pwfile=${path.join(dir, 'pw')}`);
  }
  if (asPg) await run('chown', ['-R', 'postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  await exec('initdb', ['-D', data, '-U', 'postgres', ...auth, '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  // Durability is irrelevant for a throwaway cluster; turning it off makes migrations and writes fast.
  const opts = [
    `-p ${port}`,
    "-c listen_addresses='127.0.0.1'",
    `-k ${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  const start = () =>
    exec('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  await start();
  return {
    url: `postgres://postgres${options.password ? `:${encodeURIComponent(options.password)}` : ''}@127.0.0.1:${port}/postgres`,
    port,
    async pause() {
      // 'fast' (not 'immediate'): the throwaway cluster runs without fsync, so only a clean stop keeps its data.
      await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    async resume() {
      await start();
    },
    async stop() {
      await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
