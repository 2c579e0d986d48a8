// `npm start`: builds when the build is missing or older than the sources, then runs the portal.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const sources = ['src', 'web/src', 'web/index.html', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const newestSource = Math.max(
  ...sources.map((s) => {
    const p = path.join(root, s);
    if (!existsSync(p)) return 0;
    return statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs;
  }),
);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < newestSource) {
  console.log('Building Claude Key Portal (first start or sources changed)…');
  build();
}
await import(path.join(root, 'dist', 'main.js'));
