import { describe, expect, it, vi } from 'vitest';
import { AnswerBytes, IDLE_MS } from '../../src/domain/answer-bytes.js';

/** Warm answers' bytes (docs/decisions/008): kept per answer, within a budget; idle ones make room for new ones. */
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

  it('past its budget drops the answers not read for a while, those read longest ago first', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Each entry costs its bytes plus its key: 2 × 100 here; the budget holds four of them.
      const memo = new AnswerBytes(800);
      const answers = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => text(100, c));
      const bytes = answers.slice(0, 4).map((a) => memo.of(a));
      vi.setSystemTime(Date.now() + IDLE_MS);
      // a is read again (it moves to the back); b and c are now the idle ones read longest ago.
      expect(memo.of(answers[0])).toBe(bytes[0]);
      bytes.push(memo.of(answers[4]), memo.of(answers[5]));
      for (const i of [0, 3, 4, 5]) expect(memo.of(answers[i])).toBe(bytes[i]);
      expect(memo.of(answers[1])).not.toBe(bytes[1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('read in rotation, more answers than fit keep the ones kept (no answer pushed out just before its read)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // 201 bytes an answer (its key and its closed bytes): four fit.
      const memo = new AnswerBytes(810);
      const answers = ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => text(100, c));
      let encoded = 0;
      const read = (a: string) =>
        memo.closed(a, 'T1', false, () => {
          encoded++;
          return `${a}}`;
        });
      for (let round = 0; round < 5; round++) {
        for (const a of answers) read(a);
        vi.setSystemTime(Date.now() + 100);
      }
      // The first round encodes all six; afterwards only the two that did not fit, once per round.
      expect(encoded).toBe(6 + 4 * 2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a new freshness replaces the answer’s bytes in place, whatever else is kept', () => {
    const memo = new AnswerBytes(800);
    const answers = ['a', 'b', 'c', 'd'].map((c) => text(100, c));
    for (const a of answers) memo.closed(a, 'T1', false, () => `${a}}`);
    const next = memo.closed(answers[0], 'T2', false, () => `${answers[0]},"T2"}`);
    expect(memo.closed(answers[0], 'T2', false, () => 'not kept')).toBe(next);
  });

  it('does not keep an answer larger than its whole budget', () => {
    const memo = new AnswerBytes(100);
    const big = text(200, 'x');
    expect(memo.of(big)).not.toBe(memo.of(big));
  });
});
