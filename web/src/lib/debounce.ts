import { useEffect, useRef } from 'react';

/**
 * Calls `onSettle(value)` once `value` has stayed the same for `ms` (search as you type, without a request per
 * keystroke). Nothing is called for the value the component starts with, nor again for the one last settled.
 */
export function useDebounced<T>(value: T, onSettle: (value: T) => void, ms = 300): void {
  const callback = useRef(onSettle);
  useEffect(() => {
    callback.current = onSettle;
  });
  const settled = useRef(value);
  useEffect(() => {
    if (Object.is(value, settled.current)) return;
    const timer = setTimeout(() => {
      settled.current = value;
      callback.current(value);
    }, ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
}
