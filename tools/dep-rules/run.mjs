/**
 * `npm run lint:deps`: the layering and no-cycle rules of .dependency-cruiser.mjs over src/ and web/
 * (docs/decisions/019). `--root DIR` checks another tree laid out alike (tests/unit/dependency-rules.test.ts
 * breaks each rule in one); `--min-modules N` lowers the floor below which a run counts as having read nothing.
 *
 * dependency-cruiser parses TypeScript through the `typescript` package's compiler API; the project compiles with
 * TypeScript 7, which ships none, and a second `typescript` beside it would take over its `tsc` command. So the tool
 * has its own folder and lockfile (dependency-cruiser 17, the last to run on Node 20, with TypeScript 5.9),
 * installed here on first use. dependency-cruiser has no telemetry or update check.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: path.resolve(here, '../..') },
    // Fewer modules than this means the parser read nothing (no usable TypeScript): a silent pass, made a failure.
    'min-modules': { type: 'string', default: '100' },
  },
});

const installed = path.join(here, 'node_modules/.package-lock.json');
const mtime = (f) => statSync(f).mtimeMs;
if (!existsSync(installed) || mtime(installed) < mtime(path.join(here, 'package-lock.json'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}

const { cruise, format } = await import('dependency-cruiser');
const config = path.resolve(here, '../../.dependency-cruiser.mjs');
const { default: rules } = await import(pathToFileURL(config).href);

process.chdir(path.resolve(args.root));
const targets = ['src', 'web'].filter((dir) => existsSync(dir));
const { output } = await cruise(targets, {
  ...rules.options,
  ruleSet: { forbidden: rules.forbidden },
  validate: true,
  outputType: 'json',
});
const result = typeof output === 'string' ? JSON.parse(output) : output;
const { output: report, exitCode } = await format(result, { outputType: 'err' });
process.stdout.write(report);
if (result.summary.totalCruised < Number(args['min-modules'])) {
  console.error(`lint:deps: only ${result.summary.totalCruised} modules read; is TypeScript missing from ${here}?`);
  process.exit(2);
}
process.exit(exitCode);
