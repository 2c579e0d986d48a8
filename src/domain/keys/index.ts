import type { Deps } from '../../deps.js';

// Placeholder: the keys module replaces this file.
export type KeysService = Record<string, never>;

export function createKeys(_deps: Deps): KeysService {
  return {};
}
