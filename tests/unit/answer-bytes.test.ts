import { describe, expect, it } from 'vitest';
import { AnswerBytes } from '../../src/domain/answer-bytes.js';

/** Warm answers' bytes (docs/decisions/008): kept per answer, within a budget, the oldest dropped first. */
describe('AnswerBytes', () => {
  const text = (n: number, c: string) => c.repeat(n);

  it('hands back the same bytes for the same answer and freshness, new ones when the freshness changes', () => {
    const memo = new AnswerBytes(10_000);
    const open = '{"a":1';
    const first = memo.closed(open, 'T1', false, () => `${open},"asOf":"T1"}`);
    expect(memo.closed(open, 'T1', false, () => 'not called')).toBe(first);
    const second = memo.closed(open, 'T2', false, () => `${open},"asOf":"T2"}`);
    expect(second).not.toBe(first);
    expect(second.toString()).toBe('{"a":1,"asOf":"T2"}');
    expect(memo.of('plain').toString()).toBe('plain');
  });

  it('past its budget drops the answers encoded longest ago, and keeps a working set that fits', () => {
    // Each entry costs its bytes plus its key: 2 × 100 here; the budget holds four of them.
    const memo = new AnswerBytes(800);
    const answers = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => text(100, c));
    const bytes = answers.map((a) => memo.of(a));
    // a and b were pushed out by e and f; c to f are still the same buffers.
    for (const i of [2, 3, 4, 5]) expect(memo.of(answers[i])).toBe(bytes[i]);
    expect(memo.of(answers[0])).not.toBe(bytes[0]);
    // Reading the four that fit over and over never drops one of them.
    const kept = [2, 3, 4, 5].map((i) => memo.of(answers[i]));
    for (let round = 0; round < 3; round++) {
      for (const [j, i] of [2, 3, 4, 5].entries()) expect(memo.of(answers[i])).toBe(kept[j]);
    }
  });

  it('does not keep an answer larger than its whole budget', () => {
    const memo = new AnswerBytes(100);
    const big = text(200, 'x');
    expect(memo.of(big)).not.toBe(memo.of(big));
  });
});
