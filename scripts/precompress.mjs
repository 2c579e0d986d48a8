// The web app's files, compressed once at build at the best ratio (brotli 11, gzip 9) so the portal never
// compresses them per request: src/http/plugins/web.ts sends the twin the browser accepts (docs/decisions/033).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.webmanifest']);

/** Writes `<file>.br` and `<file>.gz` beside every text file under `dir`; returns their sizes for the build log. */
export function precompress(dir) {
  const sizes = [];
  for (const file of walk(dir)) {
    if (!TEXT.has(path.extname(file))) continue;
    const raw = readFileSync(file);
    const br = brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    });
    const gz = gzipSync(raw, { level: 9 });
    // A twin no smaller than the file (a tiny file) would only cost a header: the file itself is sent instead.
    if (br.length < raw.length) writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
    sizes.push({ file: path.relative(dir, file), raw: raw.length, br: br.length, gz: gz.length });
  }
  return sizes;
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else if (!name.endsWith('.br') && !name.endsWith('.gz')) yield full;
  }
}
