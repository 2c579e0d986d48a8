import { describe, expect, it } from 'vitest';
import { operatorEvents } from '../../src/domain/notifications/key-events.js';
import { fromPayload, newEventId, toPayload } from '../../src/domain/notifications/payload.js';
import { deliveriesOf, effectiveEvents, type Recipient } from '../../src/domain/notifications/routing.js';
import {
  crsDayPeriod,
  crsTimeZone,
  expiryEvent,
  nextDigestAt,
  thresholdReached,
  usageEvent,
} from '../../src/domain/notifications/rules.js';
import { BUILT_IN_DEFAULTS } from '../../src/domain/notifications/types.js';
import { EVERY_EVENT } from '../helpers/notify-events.js';

/** The pure rules behind "once per crossing and period" and routing (docs/decisions/029, 030). */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);

describe('thresholds', () => {
  it('is the highest of 50/80/95/100 reached, exact at the boundary, none without a limit', () => {
    expect(thresholdReached(499_999, 1_000_000)).toBeUndefined();
    expect(thresholdReached(500_000, 1_000_000)).toBe(50);
    expect(thresholdReached(799_999, 1_000_000)).toBe(50);
    expect(thresholdReached(800_000, 1_000_000)).toBe(80);
    expect(thresholdReached(970_000, 1_000_000)).toBe(95);
    expect(thresholdReached(2_000_000, 1_000_000)).toBe(100);
    expect(thresholdReached(5, 0)).toBeUndefined();
    // Integer arithmetic: 0.8 × 3 is not 2.4000000000000004 here.
    expect(thresholdReached(24, 30)).toBe(80);
  });

  it('marks the key, the limit and the period, at the threshold’s level', () => {
    const e = usageEvent({
      keyId: 'k1',
      userId: 'u1',
      keyName: 'ci',
      kind: 'daily_cost',
      used: 960_000,
      limit: 1_000_000,
      period: '2026-06-01',
      periodEnd: at('2026-06-01T16:00:00Z'),
      resetsAt: at('2026-06-01T16:00:00Z'),
    });
    expect(e?.mark).toEqual({
      subject: 'usage:k1:daily_cost:2026-06-01',
      level: 95,
      expiresAt: at('2026-06-02T16:00:00Z'),
    });
    expect(e?.event).toMatchObject({
      kind: 'usage_threshold',
      threshold: 95,
      cap: 1_000_000,
      resetsAt: at('2026-06-01T16:00:00Z'),
    });
  });
});

describe('expiry steps', () => {
  const key = { keyId: 'k1', userId: 'u1', keyName: 'ci', expiresAt: at('2026-06-10T00:00:00Z') };
  const step = (now: string) => {
    const e = expiryEvent(key, at(now));
    return e && [e.mark?.level, e.event.kind === 'key_expiring' ? e.event.step : e.event.kind];
  };
  it('is nothing, 7 d, 1 d, expired, then nothing a week after', () => {
    expect(step('2026-06-02T23:59:59Z')).toBeUndefined();
    expect(step('2026-06-03T00:00:00Z')).toEqual([1, '7d']);
    expect(step('2026-06-09T00:00:00Z')).toEqual([2, '1d']);
    expect(step('2026-06-10T00:00:00Z')).toEqual([3, 'key_expired']);
    expect(step('2026-06-17T00:00:00Z')).toEqual([3, 'key_expired']);
    expect(step('2026-06-17T00:00:01Z')).toBeUndefined();
  });
  it('marks the expiry date itself, so a new date starts over', () => {
    const a = expiryEvent(key, at('2026-06-09T12:00:00Z'));
    const b = expiryEvent({ ...key, expiresAt: at('2026-06-10T06:00:00Z') }, at('2026-06-09T12:00:00Z'));
    expect(a?.mark?.subject).not.toBe(b?.mark?.subject);
  });
});

describe('CRS days and the digest hour', () => {
  it('cuts days at CRS midnight (UTC+8 by default)', () => {
    expect(crsDayPeriod(at('2026-06-01T15:59:59Z'), 8)).toEqual({ day: '2026-06-01', end: at('2026-06-01T16:00:00Z') });
    expect(crsDayPeriod(at('2026-06-01T16:00:00Z'), 8)).toEqual({ day: '2026-06-02', end: at('2026-06-02T16:00:00Z') });
    expect(crsDayPeriod(at('2026-06-01T04:00:00Z'), -5).day).toBe('2026-05-31');
  });
  it('sends the digest at the next occurrence of the hour, in CRS time', () => {
    // 09:00 UTC+8 is 01:00 UTC.
    expect(nextDigestAt(at('2026-06-01T00:30:00Z'), 9, 8)).toEqual(at('2026-06-01T01:00:00Z'));
    expect(nextDigestAt(at('2026-06-01T01:00:00Z'), 9, 8)).toEqual(at('2026-06-02T01:00:00Z'));
    expect(nextDigestAt(at('2026-06-01T20:00:00Z'), 0, 8)).toEqual(at('2026-06-02T16:00:00Z'));
  });
  it('names CRS’s zone for Intl (POSIX signs)', () => {
    expect(crsTimeZone(8)).toBe('Etc/GMT-8');
    expect(crsTimeZone(-5)).toBe('Etc/GMT+5');
    expect(crsTimeZone(0)).toBe('UTC');
  });
});

describe('routing', () => {
  const now = at('2026-06-01T00:30:00Z');
  const channel = (id: string, events: Recipient['channels'][number]['events'], active = true) => ({
    id,
    type: 'webhook',
    label: id,
    events,
    active,
  });
  const user = (over: Partial<Recipient> = {}): Recipient => ({
    userId: 'u1',
    role: 'user',
    digest: false,
    digestHour: 9,
    channels: [channel('usage-only', ['usage']), channel('expiry-only', ['expiry']), channel('off', ['usage'], false)],
    ...over,
  });

  it('sends an event to the active channels that take its category', () => {
    const out = deliveriesOf({ eventId: 'e1', event: EVERY_EVENT['usage-daily-50'], recipients: [user()] }, now, 8);
    expect(out.map((d) => [d.channelId, d.state])).toEqual([['usage-only', 'pending']]);
  });

  it('holds a digest user’s events until their hour; a pause notice goes at once to their other channels', () => {
    const held = deliveriesOf(
      { eventId: 'e1', event: EVERY_EVENT['expiring-7d'], recipients: [user({ digest: true })] },
      now,
      8,
    );
    expect(held).toMatchObject([
      { channelId: 'expiry-only', state: 'held', nextAttemptAt: at('2026-06-01T01:00:00Z') },
    ]);
    const notice = deliveriesOf(
      { eventId: 'e2', event: EVERY_EVENT['channel-paused'], recipients: [user({ digest: true })] },
      now,
      8,
      { exceptChannel: 'usage-only' },
    );
    expect(notice.map((d) => [d.channelId, d.state])).toEqual([['expiry-only', 'pending']]);
  });

  it('gives the account e-mail the admin’s defaults until its owner chooses, and admin events to admins only', () => {
    expect(effectiveEvents('email', null, 'user', BUILT_IN_DEFAULTS)).toEqual(['usage', 'expiry']);
    expect(effectiveEvents('email', null, 'admin', BUILT_IN_DEFAULTS)).toEqual(['usage', 'expiry', 'system']);
    expect(effectiveEvents('email', [], 'admin', BUILT_IN_DEFAULTS)).toEqual([]);
    expect(effectiveEvents('webhook', ['system', 'usage'], 'user', BUILT_IN_DEFAULTS)).toEqual(['usage']);
    const admin = user({ role: 'admin', digest: true, channels: [channel('ops', ['system'])] });
    const out = deliveriesOf({ eventId: 'e3', event: EVERY_EVENT['sync-failing'], recipients: [admin] }, now, 8);
    expect(out.map((d) => [d.channelId, d.state])).toEqual([['ops', 'pending']]);
  });
});

describe('operator changes', () => {
  it('turns an audited change into a disable (with its cool-down mark) and changed limits in the messages’ units', () => {
    const events = operatorEvents(
      {
        auditId: 42,
        keyId: 'k1',
        userId: 'u1',
        name: 'ci',
        changes: {
          status: { from: 'active', to: 'disabled' },
          'limits.dailyCostLimit': { from: 5, to: 2.5 },
          'limits.rateLimitWindow': { from: 0, to: 60 },
          name: { from: 'a', to: 'ci' },
        },
      },
      HOUR,
      at('2026-06-01T00:00:00Z'),
    );
    expect(events[0]).toMatchObject({
      event: { kind: 'key_disabled' },
      mark: { subject: 'disabled:k1', level: 42, cooldownMs: HOUR },
    });
    expect(events[1].event).toEqual({
      kind: 'key_limits_changed',
      key: { id: 'k1', name: 'ci' },
      changes: [
        { limit: 'daily_cost', from: 5_000_000, to: 2_500_000 },
        { limit: 'rate_window', from: 0, to: 60 },
      ],
    });
  });
});

describe('stored events', () => {
  it('come back from JSON with their times as dates', () => {
    for (const e of Object.values(EVERY_EVENT)) expect(fromPayload(toPayload(e))).toEqual(e);
  });
  it('get ids that sort by creation and never repeat', () => {
    const a = newEventId(at('2026-06-01T00:00:00Z'));
    const b = newEventId(new Date(at('2026-06-01T00:00:00Z').getTime() + DAY));
    expect(a).toMatch(/^evt_[0-9a-z]{9}[0-9a-f]{16}$/);
    expect(a < b).toBe(true);
    expect(newEventId(at('2026-06-01T00:00:00Z'))).not.toBe(a);
  });
});
