/**
 * Round axis ticks: 0 and steps of 1, 2 or 5 × 10ⁿ, at most five ticks, the last one at or above `max` — so an
 * axis reads 0, 500K, 1M, 1.5M, 2M and never 0, 475K, 950K, 1.425M, 1.9M (issue 15, point 4).
 */
export function niceTicks(max: number, integers: boolean, most = 5): number[] {
  const target = Number.isFinite(max) && max > 0 ? max : 0;
  if (target === 0) return integers ? [0, 1] : [0, 0.01];
  const rough = target / (most - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  let step = magnitude * 10;
  for (const m of [1, 2, 5]) {
    if (magnitude * m >= rough) {
      step = magnitude * m;
      break;
    }
  }
  if (integers) step = Math.max(1, Math.round(step));
  const count = Math.ceil(target / step - 1e-9);
  // Floating steps (0.1, 0.2 …) are rounded back to the step's own precision.
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toFixed(digits)));
}
