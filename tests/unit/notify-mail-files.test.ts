import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeDigest, composeMessage } from '../../src/domain/notifications/messages/index.js';
import { EVERY_EVENT } from '../helpers/notify-events.js';

/**
 * Every e-mail rendered to a file, in both languages, for screenshots (issue 14's closing note):
 * tests/e2e/screenshots/mail-<event>-<language>.html (git-ignored), and mail-index.html linking them all.
 */
const dir = path.resolve('tests/e2e/screenshots');
const publicUrl = new URL('https://portal.example.com');
const time = new Date('2025-06-01T02:00:00Z');

describe('e-mail HTML files', () => {
  it('writes every message and a digest in en and zh-CN', () => {
    mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    for (const language of ['en', 'zh-CN'] as const) {
      const ctx = {
        language,
        publicUrl,
        timeZone: 'Asia/Shanghai',
        unsubscribeUrl: 'https://portal.example.com/api/notifications/unsubscribe/example-token',
      };
      for (const [name, event] of Object.entries(EVERY_EVENT)) {
        const file = `mail-${name}-${language}.html`;
        writeFileSync(path.join(dir, file), composeMessage({ id: `evt_${name}`, time, event }, ctx).html);
        written.push(file);
      }
      const items = ['usage-total-80', 'expiring-7d', 'disabled', 'usage-daily-50'].map((name) => ({
        id: `evt_${name}`,
        time,
        event: EVERY_EVENT[name],
      }));
      const file = `mail-digest-${language}.html`;
      writeFileSync(path.join(dir, file), composeDigest({ id: 'dig_1', time, items }, ctx).html);
      written.push(file);
    }
    const index = written.map((f) => `<li><a href="${f}">${f}</a></li>`).join('\n');
    writeFileSync(path.join(dir, 'mail-index.html'), `<!doctype html><meta charset="utf-8"><ul>\n${index}\n</ul>\n`);

    expect(written).toHaveLength(2 * (Object.keys(EVERY_EVENT).length + 1));
    const zh = readFileSync(path.join(dir, 'mail-usage-opus-95-zh-CN.html'), 'utf8');
    expect(zh).toContain('每周 Opus 费用上限');
    expect(zh).toContain('<meta charset="utf-8">');
  });
});
