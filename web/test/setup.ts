import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, vi } from 'vitest';
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

// Preact runs effects after the next paint: a requestAnimationFrame, with a 100 ms timer that cancels it as a
// fallback. A timer still pending when jsdom is torn down fires into a window without cancelAnimationFrame and
// fails the run as an uncaught error; so each file waits it out while its window is still there.
afterAll(async () => {
  vi.useRealTimers();
  await new Promise((resolve) => setTimeout(resolve, 150));
});
