import type { NotificationCategory } from '../api/contract';
import { type MessageKey, useI18n } from '../i18n';

/**
 * The kinds of event a channel (or a default) receives, as a row of labelled checkboxes inside a fieldset, so a
 * screen reader hears what the group is for. Order follows `options`, whatever order they were ticked in.
 */
export function CategoryPicks({
  legend,
  options,
  value,
  onChange,
  disabled,
}: {
  legend: string;
  options: readonly NotificationCategory[];
  value: readonly NotificationCategory[];
  onChange(next: NotificationCategory[]): void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const toggle = (c: NotificationCategory, on: boolean) =>
    onChange(options.filter((o) => (o === c ? on : value.includes(o))));
  return (
    <fieldset className="picks">
      <legend className="visually-hidden">{legend}</legend>
      <div className="key-picker">
        {options.map((c) => (
          <label key={c} className={`pick ${value.includes(c) ? 'pick-on' : ''}`}>
            <input
              type="checkbox"
              checked={value.includes(c)}
              disabled={disabled}
              onChange={(e) => toggle(c, e.target.checked)}
            />
            {t(`notify.category.${c}` as MessageKey)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
