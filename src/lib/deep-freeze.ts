/** Freezes an object graph in place: a value shared between requests (cache entries, memoised input) cannot be changed by one of them. */
export function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
