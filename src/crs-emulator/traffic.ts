import { drawTokens, mulberry32, newDraw } from './rng.js';
import type { EmulatorStore } from './store.js';

/**
 * Live usage at `rpm` requests per minute, spread over the keys the relay would accept, through the relay's own
 * write path (store.relayUse). Ticks once a second and carries fractions, so 1 rpm works too.
 */
export function startTraffic(store: EmulatorStore, rpm: number, seed = Date.now()): () => void {
  if (!(rpm > 0)) return () => {};
  const rand = mulberry32(seed);
  const draw = newDraw();
  let carry = 0;
  const timer = setInterval(() => {
    carry += rpm / 60;
    const n = Math.floor(carry);
    carry -= n;
    if (n === 0) return;
    const keys = store.usableKeys();
    if (keys.length === 0) return;
    for (let i = 0; i < n; i++) {
      const key = keys[Math.floor(rand() * keys.length)];
      drawTokens(rand, draw);
      if (key.enableModelRestriction && key.restrictedModels.includes(draw.model)) continue;
      store.relayUse(key, { ...draw });
    }
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
