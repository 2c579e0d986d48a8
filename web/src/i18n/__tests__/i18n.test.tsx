import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { LanguageSelect } from '../../components/layout';
import { en } from '../en';
import { formatter } from '../format';
import { detectLocale, I18nProvider, STORAGE_KEY, translate, useI18n } from '../index';
import { zhCN } from '../zh-CN';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('translate every English string into Chinese, with the same placeholders', () => {
    const keys = Object.keys(en) as (keyof typeof en)[];
    expect(Object.keys(zhCN).sort()).toEqual([...keys].sort());
    for (const k of keys) {
      expect(zhCN[k].trim(), k).not.toBe('');
      expect(placeholders(zhCN[k]), k).toEqual(placeholders(en[k]));
    }
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(translate('en', 'toast.deleted', { name: 'CI' })).toBe('Key “CI” deleted');
    expect(translate('zh-CN', 'toast.deleted', { name: 'CI' })).toBe('密钥“CI”已删除');
    expect(translate('en', 'toast.deleted')).toBe('Key “{name}” deleted');
  });
});

describe('detectLocale', () => {
  it('prefers the remembered choice, then the browser languages, then English', () => {
    expect(detectLocale('en', ['zh-CN'])).toBe('en');
    expect(detectLocale(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(detectLocale(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(detectLocale(null, ['fr-FR'])).toBe('en');
    expect(detectLocale('klingon', [])).toBe('en');
  });
});

describe('formatter', () => {
  it('formats numbers, money and percentages for each locale', () => {
    const e = formatter('en');
    const z = formatter('zh-CN');
    expect(e.number(1234567)).toBe('1,234,567');
    expect(e.money(1234.5)).toBe('$1,234.50');
    expect(z.money(1234.5)).toBe('US$1,234.50');
    expect(e.money(0.00314)).toBe('$0.0031');
    expect(e.percent(0.873)).toBe('87.3%');
    expect(e.compact(48_200_000)).toBe('48.2M');
    expect(z.compact(48_200_000)).toBe('4820万');
    expect(e.compact(9_999)).toBe('9,999');
  });

  it('shows a CRS day as that calendar day whatever the browser zone', () => {
    expect(formatter('en').day('2026-01-01')).toBe('Jan 1');
    expect(formatter('en').day('2026-12-31', 'long')).toBe('Dec 31, 2026');
    expect(formatter('zh-CN').day('2026-01-01')).toBe('1月1日');
  });

  it('says how long ago, in words', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatter('en').relative('2026-01-01T11:57:00Z', now)).toBe('3 minutes ago');
    expect(formatter('zh-CN').relative('2026-01-01T09:00:00Z', now)).toBe('3小时前');
    expect(formatter('en').duration(1500)).toBe('1.5 sec');
    expect(formatter('en').duration(250)).toBe('250 ms');
  });
});

function Probe() {
  const { t, fmt } = useI18n();
  return (
    <p>
      {t('nav.keys')} · {fmt.money(3)}
    </p>
  );
}

describe('I18nProvider', () => {
  it('switches language, remembers it, and sets the document language', async () => {
    render(
      <I18nProvider initial="en">
        <LanguageSelect />
        <Probe />
      </I18nProvider>,
    );
    expect(screen.getByText('API keys · $3.00')).toBeTruthy();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'zh-CN');
    expect(screen.getByText('API 密钥 · US$3.00')).toBeTruthy();
    expect(localStorage.getItem(STORAGE_KEY)).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
  });

  it('starts in the remembered language', () => {
    localStorage.setItem(STORAGE_KEY, 'zh-CN');
    act(() => {
      render(
        <I18nProvider>
          <Probe />
        </I18nProvider>,
      );
    });
    expect(screen.getByText('API 密钥 · US$3.00')).toBeTruthy();
  });
});
