// Keeps argv[2] MB alive under the default heap policy, forces a full collection and prints the factor the policy
// chose after it, with the old generation's bytes it chose it for.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../../src/config.js';
import { oldGenerationBytes, startHeapPolicy } from '../../src/lib/heap-policy.js';

const { heapGrowthPercent, heapHeadroomMb } = loadConfig({});
const policy = startHeapPolicy({ minPercent: heapGrowthPercent, headroomMb: heapHeadroomMb });
const before = policy?.percent;
const live: string[][] = [];
// Rows of 16 strings of ~50 characters, argv[2] × 1,024 of them (V8 keeps more than the characters for each).
for (let i = 0; i < Number(process.argv[2]) * 1024; i++)
  live.push(Array.from({ length: 16 }, (_, j) => `${i}:${j}`.padEnd(48, 'x')));
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();
await new Promise((resolve) => setTimeout(resolve, 100));
const oldBytes = oldGenerationBytes();
process.stdout.write(`${JSON.stringify({ before, after: policy?.percent, oldBytes, rows: live.length })}\n`);
