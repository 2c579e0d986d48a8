import { errors as bentoErrors } from 'bentocache';
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
 * The loader, bounded by the hard timeout. Past it the caller is answered and the single-flight lock is freed
 * (bentocache holds it until the factory settles, and its own hardTimeout does not end the factory).
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

/** Callers see their loader's own error, never bentocache's wrappers. */
export function unwrap(err: unknown, name: string, ms: number): unknown {
  if (err instanceof bentoErrors.E_FACTORY_ERROR) return err.cause;
  if (err instanceof bentoErrors.E_FACTORY_HARD_TIMEOUT || err instanceof bentoErrors.E_FACTORY_SOFT_TIMEOUT) {
    return timeoutError(name, ms);
  }
  return err;
}
