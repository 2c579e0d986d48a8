import { describe, expect, it } from 'vitest';
import { CircuitOpenError, createBreaker } from '../../src/infra/crs/breaker.js';

function setup() {
  let t = 0;
  const changes: string[] = [];
  const breaker = createBreaker({
    failureThreshold: 3,
    resetTimeoutMs: 1000,
    now: () => t,
    onChange: (from, to) => changes.push(`${from}->${to}`),
  });
  const fail = (n = 1) => {
    for (let i = 0; i < n; i++) breaker.enter().failure();
  };
  return { breaker, changes, fail, advance: (ms: number) => (t += ms) };
}

describe('CRS circuit breaker', () => {
  it('opens after the threshold of consecutive failures and then fails fast', () => {
    const { breaker, fail, changes } = setup();
    fail(2);
    expect(breaker.state()).toBe('closed');
    fail(1);
    expect(breaker.state()).toBe('open');
    expect(() => breaker.enter()).toThrow(CircuitOpenError);
    expect(changes).toEqual(['closed->open']);
  });

  it('a success resets the count of consecutive failures', () => {
    const { breaker, fail } = setup();
    fail(2);
    breaker.enter().success();
    fail(2);
    expect(breaker.state()).toBe('closed');
  });

  it('lets exactly one probe through once the reset delay has passed; its success closes the circuit', () => {
    const { breaker, fail, advance, changes } = setup();
    fail(3);
    advance(999);
    expect(breaker.state()).toBe('open');
    expect(breaker.retryInMs()).toBe(1);
    advance(1);
    expect(breaker.state()).toBe('half-open');
    const probe = breaker.enter();
    expect(() => breaker.enter()).toThrow(CircuitOpenError);
    const waiting = breaker.probeSettled();
    expect(waiting).toBeInstanceOf(Promise);
    probe.success();
    expect(breaker.probeSettled()).toBeUndefined();
    expect(breaker.state()).toBe('closed');
    breaker.enter().success();
    expect(changes).toEqual(['closed->open', 'half-open->closed']);
  });

  it('a failed probe re-opens the circuit for another full delay', () => {
    const { breaker, fail, advance } = setup();
    fail(3);
    advance(1000);
    breaker.enter().failure();
    expect(breaker.state()).toBe('open');
    advance(999);
    expect(() => breaker.enter()).toThrow(CircuitOpenError);
    advance(1);
    expect(breaker.state()).toBe('half-open');
  });

  it('late failures of calls that started before the circuit opened do not postpone the probe', () => {
    const { breaker, fail, advance } = setup();
    const inFlight = breaker.enter();
    fail(3);
    advance(600);
    inFlight.failure();
    advance(400);
    expect(breaker.state()).toBe('half-open');
  });

  it('settles a ticket once', () => {
    const { breaker } = setup();
    const t = breaker.enter();
    t.failure();
    t.failure();
    t.failure();
    expect(breaker.state()).toBe('closed');
  });
});
