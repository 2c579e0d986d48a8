import { describe, expect, it } from 'vitest';
import {
  composeDigest,
  composeMessage,
  EVENT_TYPES,
  type NotificationEvent,
  publicData,
  renderEvent,
} from '../../src/domain/notifications/messages/index.js';
import { EVERY_EVENT } from '../helpers/notify-events.js';

const publicUrl = new URL('https://portal.example.com');
const HAN = /[\u4e00-\u9fff]/;
const ctx = (language: 'en' | 'zh-CN') => ({ language, publicUrl, timeZone: 'Asia/Shanghai' }) as const;
const cases = Object.entries(EVERY_EVENT).flatMap(([name, e]) =>
  (['en', 'zh-CN'] as const).map((lang) => [name, lang, e] as const),
);

describe('notification messages', () => {
  it.each(cases)('renders %s in %s: subject, text, HTML and chat', (_name, lang, event) => {
    const m = renderEvent(event, ctx(lang));
    for (const s of [m.subject, m.text, m.html, m.chat.title]) expect(s.length).toBeGreaterThan(0);
    // Each language writes its own sentences: Chinese in zh-CN, none in English.
    expect(HAN.test(m.subject)).toBe(lang === 'zh-CN');
    expect(HAN.test(m.text)).toBe(lang === 'zh-CN');
    expect(m.html).toContain(`<html lang="${lang}">`);
    expect(m.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(m.text).toContain('https://portal.example.com/settings#notifications');
    expect(m.chat.link?.url.startsWith('https://portal.example.com/')).toBe(true);
    expect(m.text).toContain(m.chat.link?.url);
    if ('key' in event) {
      expect(m.subject).toContain('team-backend');
      expect(m.chat.link?.url).toBe('https://portal.example.com/keys/k_42');
    } else if (event.kind === 'channel_test' || event.kind === 'channel_paused') {
      expect(m.chat.link?.url).toBe('https://portal.example.com/settings#notifications');
    } else {
      expect(m.chat.link?.url).toBe('https://portal.example.com/admin');
    }
  });

  it('says what a threshold means in each language, with money in the reader’s format', () => {
    const e = EVERY_EVENT['usage-total-80'];
    const en = renderEvent(e, ctx('en'));
    expect(en.subject).toBe('Key “team-backend” has used 80% of its total cost limit');
    expect(en.text).toContain('Used: $81.00 of $100.00');
    const zh = renderEvent(e, ctx('zh-CN'));
    expect(zh.subject).toBe('密钥「team-backend」已用掉总费用上限的 80%');
    expect(zh.text).toContain('已用：US$81.00 / US$100.00');
    expect(renderEvent(EVERY_EVENT['usage-window-tokens-100'], ctx('en')).subject).toBe(
      'Key “team-backend” has reached its token limit per window',
    );
  });

  it('writes times in the given zone, with the zone spelled out', () => {
    const m = renderEvent(EVERY_EVENT['expiring-1d'], ctx('zh-CN'));
    expect(m.text).toContain('到期时间：2025年6月2日 08:00 (UTC+8)');
    const utc = renderEvent(EVERY_EVENT['expiring-1d'], { language: 'en', publicUrl });
    expect(utc.text).toContain('Expires: Jun 2, 2025, 00:00 (UTC)');
  });

  it('shows a removed limit as none / 不限', () => {
    expect(renderEvent(EVERY_EVENT['limits-changed'], ctx('en')).text).toContain('Concurrency limit: none → 2');
    expect(renderEvent(EVERY_EVENT['limits-changed'], ctx('zh-CN')).text).toContain('并发上限：不限 → 2');
  });

  it('escapes what users typed in the HTML and keeps it as typed in the text and chat', () => {
    const evil = '<img src=x onerror=alert(1)> & "quotes"';
    const m = renderEvent({ kind: 'key_disabled', key: { id: 'k/1?x', name: evil } }, ctx('en'));
    expect(m.html).not.toContain('<img');
    expect(m.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(m.text).toContain(evil);
    expect(m.chat.title).toContain(evil);
    // A key id is a path segment, never a way out of it.
    expect(m.chat.link?.url).toBe('https://portal.example.com/keys/k%2F1%3Fx');
  });

  it('gives webhook receivers USD, ISO times and the public event type', () => {
    expect(publicData(EVERY_EVENT['usage-opus-95'])).toEqual({
      key: { id: 'k_42', name: 'team-backend' },
      limit: 'weekly_opus_cost',
      threshold: 95,
      used: 47.6,
      cap: 50,
      unit: 'usd',
      resetsAt: '2025-06-09T00:00:00.000Z',
    });
    expect(publicData(EVERY_EVENT['limits-changed'])).toMatchObject({
      changes: [
        { limit: 'daily_cost', from: 10, to: 5, unit: 'usd' },
        { limit: 'concurrency', from: 0, to: 2 },
      ],
    });
    const m = composeMessage(
      { id: 'evt_9', time: new Date('2025-06-01T00:00:00Z'), event: EVERY_EVENT.expired },
      { ...ctx('en'), unsubscribeUrl: 'https://portal.example.com/u/t' },
    );
    expect(m).toMatchObject({
      id: 'evt_9',
      type: 'key.expired',
      language: 'en',
      unsubscribeUrl: 'https://portal.example.com/u/t',
    });
    expect(m.text).toContain('Unsubscribe: https://portal.example.com/u/t');
    expect(m.html).toContain('href="https://portal.example.com/u/t"');
    expect(new Set(Object.values(EVENT_TYPES)).size).toBe(Object.keys(EVENT_TYPES).length);
  });

  it('tells admins and users why they receive a message', () => {
    expect(renderEvent(EVERY_EVENT['sync-failing'], ctx('en')).text).toContain('as an administrator');
    expect(renderEvent(EVERY_EVENT.disabled, ctx('en')).text).toContain('notifications are on for your account');
  });
});

describe('daily digest', () => {
  const items = (events: NotificationEvent[]) =>
    events.map((event, i) => ({ id: `evt_${i}`, time: new Date(Date.UTC(2025, 5, 1, i)), event }));

  it('puts several events in one message, most severe first', () => {
    const events = [EVERY_EVENT['usage-daily-50'], EVERY_EVENT.expired, EVERY_EVENT['usage-total-80']];
    const d = composeDigest({ id: 'dig_1', time: new Date('2025-06-02T00:00:00Z'), items: items(events) }, ctx('en'));
    expect(d.type).toBe('digest');
    expect(d.subject).toBe('Claude Key Portal: 3 notifications');
    expect(d.chat.lines[0]).toBe('• Key “team-backend” has expired');
    expect(d.chat.lines).toHaveLength(3);
    expect(d.data.events).toEqual([
      expect.objectContaining({ id: 'evt_1', type: 'key.expired' }),
      expect.objectContaining({ id: 'evt_2', type: 'key.usage_threshold' }),
      expect.objectContaining({ id: 'evt_0', type: 'key.usage_threshold' }),
    ]);
    expect((d.html.match(/<h2 /g) ?? []).length).toBe(3);
    expect(d.text.indexOf('has expired')).toBeLessThan(d.text.indexOf('50%'));
  });

  it('keeps a chat digest short and says how many more there are', () => {
    const many = Array.from({ length: 14 }, () => EVERY_EVENT['usage-daily-50']);
    const d = composeDigest({ id: 'dig_2', time: new Date(), items: items(many) }, ctx('zh-CN'));
    expect(d.subject).toBe('Claude Key Portal：14 条通知');
    expect(d.chat.lines).toHaveLength(11);
    expect(d.chat.lines[10]).toBe('……另有 4 条');
    expect((d.html.match(/<h2 /g) ?? []).length).toBe(14);
  });
});
