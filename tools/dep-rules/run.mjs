/**
 * `npm run lint:deps`: the layering and no-cycle rules of .dependency-cruiser.mjs over src/ and web/.
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

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
/** Fewer modules than this means the parser found nothing to read: a silent pass, which must fail instead. */
const MIN_MODULES = 100;

const installed = path.join(here, 'node_modules/.package-lock.json');
const mtime = (f) => statSync(f).mtimeMs;
if (!existsSync(installed) || mtime(installed) < mtime(path.join(here, 'package-lock.json'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}

const { cruise, format } = await import('dependency-cruiser');
const { default: rules } = await import(pathToFileURL(path.join(root, '.dependency-cruiser.mjs')).href);

process.chdir(root);
const targets = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'web'];
const { output } = await cruise(targets, {
  ...rules.options,
  ruleSet: { forbidden: rules.forbidden },
  validate: true,
  outputType: 'json',
});
const result = typeof output === 'string' ? JSON.parse(output) : output;
const { output: report, exitCode } = await format(result, { outputType: 'err' });
process.stdout.write(report);
if (result.summary.totalCruised < MIN_MODULES) {
  console.error(`lint:deps: only ${result.summary.totalCruised} modules read; is TypeScript missing from ${here}?`);
  process.exit(2);
}
process.exit(exitCode);
