// A process that keeps ~40 MB alive and, round after round, builds ~100 MB of batches it keeps to the end of the
// round (a sync cycle's shape); prints its peak RSS in MB. argv[2]: HEAP_GROWTH_PERCENT (0: V8's own policy),
// argv[3]: HEAP_HEADROOM_MB.
import { startHeapPolicy } from '../../src/lib/heap-policy.js';

startHeapPolicy({ minPercent: Number(process.argv[2]), headroomMb: Number(process.argv[3] ?? 0) });
const live: object[] = [];
for (let i = 0; i < 200_000; i++) live.push({ id: `k${i}`, name: `name-${i}`, n: [i, String(i)] });
let peak = 0;
for (let round = 0; round < 10; round++) {
  const batch: object[] = [];
  for (let i = 0; i < 300_000; i++) batch.push({ key: `key:${i}:${round}`, f: [`a${i}`, `b${i}`, `c${i}`] });
  peak = Math.max(peak, process.memoryUsage().rss);
  await new Promise((resolve) => setTimeout(resolve, 5));
}
process.stdout.write(`${JSON.stringify({ peakMb: Math.round(peak / 2 ** 20), live: live.length })}\n`);
