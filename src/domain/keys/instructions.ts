import type { Config } from '../../config.js';
import type { KeyView } from './types.js';

/**
 * "Use this key with Claude Code": CRS serves Anthropic's API under /api (docs/crs.md §6). The secret is never
 * stored, so the snippet carries the masked key as a placeholder for the user to replace.
 */
export function keyInstructions(config: Config, key: KeyView) {
  const base = (config.crs.publicUrl ?? config.crs.baseUrl ?? '').replace(/\/+$/, '');
  const baseUrl = `${base}/api`;
  const env = { ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_AUTH_TOKEN: `<your key ${key.maskedKey}>` };
  const snippet = [
    `export ANTHROPIC_BASE_URL="${baseUrl}"`,
    key.origin === 'operator'
      ? `export ANTHROPIC_AUTH_TOKEN="cr_..."   # the secret of "${key.name}" (made by the operator: ask them for it)`
      : `export ANTHROPIC_AUTH_TOKEN="cr_..."   # the secret shown once when "${key.name}" was created (${key.maskedKey})`,
    'claude',
  ].join('\n');
  return { baseUrl, env, snippet };
}
