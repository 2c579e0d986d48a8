/**
 * The benchmark (issue 4; targets in docs/product.md §4): `npm run bench [-- --quick | --scale large]`.
 * Starts PostgreSQL, Redis, the CRS emulator (in this process) and the portal (`node dist/main.js`, its own
 * process), seeds the scale through the product's own paths, runs the scenarios, writes
 * bench/results/latest.json and prints a Markdown table. Everything started is stopped, also on failure/Ctrl-C.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOptions, WARM_USERS } from './lib/options.js';
import { cleanup, installSignalHandlers } from './lib/procs.js';
import { markdown } from './lib/report.js';
import { runBench } from './lib/scenario-runner.js';
import { ROOT } from './lib/stack.js';

const HEAP_MB = 12_288;

async function main() {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv);
  // 100,000 keys of CRS history live in the emulator, in this process: re-run with a big heap.
  if (opts.mode === 'large' && !process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_MB}`, ...process.execArgv, process.argv[1], ...argv],
      {
        stdio: 'inherit',
      },
    );
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => child.kill(s));
    child.on('exit', (code) => process.exit(code ?? 1));
    return;
  }
  installSignalHandlers();
  const workDir = path.join(os.tmpdir(), `kp-bench-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const started = Date.now();
  const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${s}`);
  let ok = false;
  try {
    const report = await runBench(opts, { workDir, log });
    const dir = path.join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'latest.json');
    const text = `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(file, text);
    // Also by mode, so that a large run and the README's default run can sit side by side — a complete run only:
    // a partial one (--only, --routes, --warm-users) would replace the figures README cites with a few of them.
    if (!opts.only && !opts.routes && opts.warmUsers === WARM_USERS)
      writeFileSync(path.join(dir, `${opts.mode}.json`), text);
    console.log(`\n${markdown(report)}\n`);
    log(`wrote ${path.relative(ROOT, file)}`);
    ok = true;
  } finally {
    await cleanup();
    if (ok && !opts.keep) rmSync(workDir, { recursive: true, force: true });
    else console.error(`work directory kept: ${workDir}`);
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`\nbench failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
