// Production build: the server (TypeScript → dist/) and, when present, the web UI (Vite → web/dist/).
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

export function build() {
  run(bin('tsc'), ['-p', 'tsconfig.build.json']);
  if (existsSync(path.join(root, 'web', 'vite.config.ts'))) {
    run(bin('vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
    precompress(path.join(root, 'web', 'dist'));
  }
  writeFileSync(path.join(root, 'dist', '.build-stamp'), new Date().toISOString());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
