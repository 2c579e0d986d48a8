import { AppError } from '../../domain/errors.js';
import type { EntryScope } from './types.js';

/** What a namespace does around a loader: its tags, its time limit, and the errors its callers see. */

export type Scope<T> = EntryScope | ((value: T) => EntryScope | undefined);

export function tagsOf(scope: EntryScope | undefined): string[] | undefined {
  if (!scope) return undefined;
  const tags: string[] = [];
  if (scope.userId !== undefined) tags.push(`user:${scope.userId}`);
  if (scope.keyId !== undefined) tags.push(`key:${scope.keyId}`);
  return tags.length ? tags : undefined;
}

/**
 * The loader, bounded by the hard timeout. Past it the callers are answered and the key is free for the next
 * load; the loader itself cannot be stopped, and what it returns then is dropped.
 */
export function capped<T>(load: () => Promise<T>, ms: number, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError(name, ms)), ms);
    // A loader left running must not keep the process alive.
    timer.unref();
    Promise.resolve()
      .then(load)
      .then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
  });
}

function timeoutError(name: string, ms: number): AppError {
  return new AppError('upstream_unavailable', `The data source did not answer in time (${name}, ${ms} ms)`);
}
