/**
 * `performance.mark('kp:drawn:<page>')` once a page's data is on screen — drawn, not only fetched: the mark waits
 * for the next frames until the page's chart has its picture. `npm run bench:web` reads it (bench/web.ts); it costs
 * a few animation frames once per page load.
 */
import { useEffect } from 'react';

const marked = new Set<string>();

export function useDrawnMark(page: string, ready: boolean, picture = '.chart svg'): void {
  useEffect(() => {
    if (!ready || marked.has(page) || typeof performance?.mark !== 'function') return;
    let frames = 0;
    let handle = 0;
    const check = () => {
      // Give up after ~2 s of frames: a page without a chart (no usage yet) is drawn when its data is.
      if (document.querySelector(picture) || ++frames > 120) {
        marked.add(page);
        performance.mark(`kp:drawn:${page}`);
        return;
      }
      handle = requestAnimationFrame(check);
    };
    handle = requestAnimationFrame(check);
    return () => cancelAnimationFrame(handle);
  }, [page, ready, picture]);
}
