import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The real CRS captures, copied verbatim from the project's shared `crs/samples` into the repository so that a
 * clone tests on its own (CI clones main anywhere). Re-copy them when new captures are made.
 */
export const SAMPLES_DIR = path.resolve(import.meta.dirname, 'crs-samples');

export interface Sample {
  request: { method: string; path: string; auth: string | null; body: unknown };
  status: number;
  response: unknown;
}

export function sampleFiles(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** A capture; health.json is a bare response body, the others `{request, status, elapsedMs, response}`. */
export function readSample(file: string): Sample {
  const j = JSON.parse(readFileSync(path.join(SAMPLES_DIR, file), 'utf8'));
  if (j.request) return j;
  return { request: { method: 'GET', path: '/health', auth: null, body: null }, status: 200, response: j };
}
