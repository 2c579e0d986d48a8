/**
 * What a V8 heap snapshot is made of: self size by node type and constructor, largest first.
 *   npx tsx bench/heap-summary.ts <file.heapsnapshot> [top=30]
 * Take one from the benchmark's portal with BENCH_PORTAL_NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2 and
 * `kill -USR2 <portal pid>` (the file lands in the repository root).
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/heap-summary.ts <file.heapsnapshot> [top]');
  process.exit(2);
}
const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = s.snapshot.meta.node_fields;
const types = s.snapshot.meta.node_types[0];
const [fType, fName, fSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
const bySize = new Map<string, { bytes: number; count: number }>();
let total = 0;
for (let i = 0; i < s.nodes.length; i += fields.length) {
  const type = types[s.nodes[i + fType]];
  const size = s.nodes[i + fSize];
  // Objects by constructor; strings, arrays and code by their kind only (their "names" are their contents).
  const key = type === 'object' || type === 'closure' ? `${type} ${s.strings[s.nodes[i + fName]]}` : `(${type})`;
  const e = bySize.get(key) ?? { bytes: 0, count: 0 };
  e.bytes += size;
  e.count++;
  bySize.set(key, e);
  total += size;
}
const mb = (n: number) => (n / 2 ** 20).toFixed(1).padStart(8);
console.log(`${mb(total)} MB in ${(s.nodes.length / fields.length).toLocaleString('en')} objects\n`);
for (const [k, v] of [...bySize].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(topArg ?? 30))) {
  console.log(`${mb(v.bytes)} MB  ${String(v.count).padStart(9)}  ${k}`);
}
