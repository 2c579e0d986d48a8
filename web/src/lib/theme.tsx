/**
 * Light or dark (issue 15, point 3): the system's choice (`prefers-color-scheme`) unless the person picked one,
 * remembered in this browser. The stylesheet does the rest: every colour is a CSS variable written with
 * `light-dark()`, resolved by the root's `color-scheme`, which `data-theme` pins when a choice is made.
 */
import { useState } from 'react';
import { useI18n } from '../i18n';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'kp.theme';
const CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];

export function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function apply(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
}

/** Called once before the first render, so a remembered choice never flashes the other theme. */
export function applyStoredTheme(): void {
  apply(storedTheme());
}

export function setTheme(choice: ThemeChoice): void {
  apply(choice);
  try {
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/** System / light / dark, labelled; shown beside the language in the top bar, the phone menu and the sign-in pages. */
export function ThemeSelect({ className }: { className?: string }) {
  const { t } = useI18n();
  const [choice, setChoice] = useState(storedTheme);
  return (
    <select
      className={`input input-sm ${className ?? ''}`}
      aria-label={t('theme.label')}
      value={choice}
      onChange={(e) => {
        const next = e.target.value as ThemeChoice;
        setTheme(next);
        setChoice(next);
      }}
    >
      {CHOICES.map((c) => (
        <option key={c} value={c}>
          {t(`theme.${c}`)}
        </option>
      ))}
    </select>
  );
}
