import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { loadDictionary } from '../src/i18n';

// Components render synchronously in tests: both dictionaries are here before any test starts.
await Promise.all([loadDictionary('en'), loadDictionary('zh-CN')]);

// As in the server tests: an unexpected console.error (a React warning included) fails the test.
let errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.restoreAllMocks();
  const seen = errors;
  errors = [];
  if (seen.length) throw new Error(`unexpected console.error: ${String(seen[0]?.[0])}`);
});
