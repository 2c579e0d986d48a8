/**
 * Timing for the micro-benchmarks: ns per operation, one at a time, the median of ROUNDS rounds of `ITERATIONS`
 * (env ITERATIONS, default 200,000) after a warm-up for the JIT.
 */
export const ITERATIONS = Number(process.env.ITERATIONS ?? 200_000);
export const ROUNDS = 5;

export function report(name: string, samples: number[]): void {
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(`${name.padEnd(62)} ${median.toFixed(0).padStart(7)} ns/op  (min ${samples[0].toFixed(0)})`);
}

/**
 * For synchronous operations (the hot path): no await per call, which would cost more than the operation. An
 * operation answers anything but `undefined` when it did its work; one that never does is an error (a read that
 * always missed would time the miss).
 */
export function measureSync(name: string, op: () => unknown, n = ITERATIONS): void {
  let answered = 0;
  for (let i = 0; i < 20_000; i++) if (op() !== undefined) answered++;
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) if (op() !== undefined) answered++;
    samples.push(Number(process.hrtime.bigint() - start) / n);
  }
  if (answered === 0) throw new Error(`${name}: no read answered`);
  report(name, samples);
}
