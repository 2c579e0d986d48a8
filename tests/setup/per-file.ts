import { afterEach, vi } from 'vitest';

// A test that logs an unexpected console.error fails (Epic Stack): errors must be asserted, not ignored.
let errors: unknown[][] = [];
const original = console.error;
console.error = (...args: unknown[]) => {
  errors.push(args);
  original(...args);
};
afterEach(() => {
  const seen = errors;
  errors = [];
  vi.restoreAllMocks();
  if (seen.length) throw new Error(`unexpected console.error: ${String(seen[0]?.[0])}`);
});
