import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Everything the harness starts registers its stop here; `cleanup()` runs them newest first, once, on normal
 * exit, on failure and on Ctrl-C / SIGTERM. Child processes are stopped by their own pid, never by name.
 */
const stops: Array<{ name: string; stop: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;

export function onCleanup(name: string, stop: () => Promise<unknown>): void {
  stops.push({ name, stop });
}

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (stops.length) {
      const { name, stop } = stops.pop()!;
      await stop().catch((err: Error) => console.error(`cleanup: stopping ${name} failed: ${err.message}`));
    }
  })();
  return cleaning;
}

export function installSignalHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping everything the benchmark started…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns a child whose output goes to `logFile`; it is stopped (by pid) at cleanup if still running. */
export function startChild(
  name: string,
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; logFile: string; cwd?: string },
): Child {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const proc = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout?.pipe(log);
  proc.stderr?.pipe(log);
  if (proc.pid === undefined) throw new Error(`could not start ${name} (${cmd})`);
  const pid = proc.pid;
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (c, signal) => {
      code = c ?? (signal ? 128 : null);
      resolve(code);
    });
  });
  const stop = async (graceMs = 10_000) => {
    if (code !== undefined) return;
    process.kill(pid, 'SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done && code === undefined) {
      process.kill(pid, 'SIGKILL');
      await exited;
    }
  };
  onCleanup(name, () => stop());
  return { proc, pid, exited, stop };
}

/** A `<field>:  <n> kB` line of /proc/<pid>/status, in MB; undefined when the field is absent. */
function statusMb(pid: number, field: string): number | undefined {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : undefined;
}

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid: number): number {
  const mb = statusMb(pid, 'VmRSS');
  if (mb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return mb;
}

/** Peak RSS (VmHWM) in MB: since the process started, or since `resetPeakRss`. */
export function peakRssMb(pid: number): number {
  return statusMb(pid, 'VmHWM') ?? 0;
}

/**
 * Starts a new peak: VmHWM falls to the current RSS (`5` to /proc/<pid>/clear_refs, Linux 4.0+), so that the next
 * `peakRssMb` is the peak of what ran in between, exactly, however briefly. False when the kernel refuses.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Write system calls the process has made (all its threads; /proc/<pid>/io `syscw`): socket writes, and also the
 * event loop's wake-ups (an eventfd write each, e.g. when V8 posts a garbage-collection task).
 */
export function writeSyscalls(pid: number): number {
  const m = /^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** The kernel's accounting unit for a process's CPU time (USER_HZ = 100 on Linux). */
const CLOCK_TICK_MS = 10;

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (in clock ticks). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
}

/**
 * The whole machine's busy CPU time so far, in ms: /proc/stat's first line, summed over the CPUs, everything but
 * idle and I/O wait. What else ran beside a measurement (bench/query-timer.ts).
 */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  // cpu  user nice system idle iowait irq softirq steal …
  const t = line.trim().split(/\s+/).slice(1, 9).map(Number);
  return (t.reduce((a, b) => a + b, 0) - t[3] - t[4]) * CLOCK_TICK_MS;
}

/**
 * Resolves once the process has gone quiet: two consecutive quarter-seconds in which it used at most one clock tick
 * of CPU (or after `maxMs`). What a load left behind — its garbage collection, its writes to Redis — is then done,
 * and is not charged to the run that follows (bench/scenarios/warm.ts).
 */
export async function settled(pid: number, maxMs = 5_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  let last = cpuMs(pid);
  while (quiet < 2 && Date.now() < deadline) {
    await sleep(250);
    const now = cpuMs(pid);
    quiet = now - last <= CLOCK_TICK_MS ? quiet + 1 : 0;
    last = now;
  }
}
