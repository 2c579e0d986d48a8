// Applies the portal's pretenuring setting for the environment it is given (argv[2]: HEAP_PRETENURING), then
// teaches V8 that one allocation site's objects survive (three million of them kept, as a cache fills) and makes
// short-lived objects at that site. Prints how many MB the old generation grew while only garbage was made.
import { loadConfig } from '../../src/config.js';
import { applyPretenuring, oldGenerationBytes } from '../../src/lib/heap-policy.js';

const switchedOff = applyPretenuring(loadConfig({ HEAP_PRETENURING: process.argv[2] ?? '' }).heapPretenuring, []);

function make(i: number) {
  return { a: i, b: 'x', c: null };
}

function fill(): unknown[] {
  const kept: unknown[] = [];
  for (let i = 0; i < 3_000_000; i++) kept.push(make(i));
  return kept;
}

/** Only garbage: each object outlives its statement (a ring keeps the last 64), so V8 cannot optimise it away. */
function churn(): number {
  const ring: unknown[] = new Array(64);
  let grown = 0;
  for (let round = 0; round < 200; round++) {
    const before = oldGenerationBytes();
    for (let i = 0; i < 100_000; i++) ring[i & 63] = make(i);
    grown += Math.max(0, oldGenerationBytes() - before);
  }
  return grown;
}

// Released before the churn: from then on every object the site makes is garbage.
const kept = fill();
setTimeout(() => {
  kept.length = 0;
  const grownMb = Math.round(churn() / 2 ** 20);
  process.stdout.write(`${JSON.stringify({ switchedOff, grownMb })}\n`);
}, 50);
