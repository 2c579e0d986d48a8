import type { Limits, MetaResponse } from '../api/contract';
import { useI18n } from '../i18n';
import { capFor, type LimitsDraft, limitLabel, MONEY_LIMITS, OTHER_FIELDS, WINDOW_FIELDS } from '../lib/key-limits';
import { TextField } from './ui';

/**
 * The limit inputs of the key form: the rate window and what counts per window ("N tokens per M minutes"), then
 * the other limits. The operator's caps and the ceilings of what the operator holds bound each field.
 */
export function LimitFields({
  limits,
  caps,
  held,
  windowMissing,
  fieldErr,
  onChange,
}: {
  limits: LimitsDraft;
  caps: MetaResponse['keyLimitCaps'] | undefined;
  held: Partial<Limits> | undefined;
  windowMissing: boolean;
  fieldErr(path: string): string | undefined;
  onChange(limits: LimitsDraft): void;
}) {
  const { t, fmt } = useI18n();
  const show = (name: keyof Limits, v: number) => (MONEY_LIMITS.has(name) ? fmt.money(v) : fmt.number(v));

  const field = (name: keyof Limits) => {
    const cap = capFor(name, limits, caps);
    const ceiling = held?.[name];
    const isWindow = name === 'rateLimitWindow';
    const bounds = [cap, isWindow ? undefined : ceiling].filter((x): x is number => x !== undefined);
    const max = bounds.length ? Math.min(...bounds) : undefined;
    let hint: string | undefined;
    if (ceiling !== undefined) {
      hint = isWindow
        ? t('keyForm.heldWindow', { min: fmt.number(ceiling) })
        : t('keyForm.heldLimit', { max: show(name, ceiling) });
    } else if (cap !== undefined) {
      const window = Number(limits.rateLimitWindow) || caps?.perWindowMinutes || 0;
      hint = WINDOW_FIELDS.includes(name as (typeof WINDOW_FIELDS)[number])
        ? t('keyForm.capPerWindow', { max: fmt.number(cap), window })
        : t('keyForm.cap', { max: show(name, cap) });
    }
    return (
      <TextField
        key={name}
        label={t(limitLabel(name))}
        type="number"
        inputMode="decimal"
        min={isWindow && ceiling ? ceiling : 0}
        max={max}
        step={MONEY_LIMITS.has(name) ? '0.01' : '1'}
        hint={hint}
        placeholder={cap !== undefined ? fmt.number(cap) : t('common.unlimited')}
        value={limits[name]}
        error={isWindow && windowMissing ? t('keyForm.windowRequired') : fieldErr(`limits.${name}`)}
        onChange={(e) => onChange({ ...limits, [name]: e.target.value })}
      />
    );
  };

  const window = Number(limits.rateLimitWindow);
  const parts = WINDOW_FIELDS.filter((f) => Number(limits[f]) > 0).map((f) =>
    t(`keyForm.per.${f}`, { n: show(f, Number(limits[f])) }),
  );
  return (
    <>
      <fieldset className="limit-group">
        <legend>{t('keyForm.rateWindow')}</legend>
        <p className="muted small">{t('keyForm.rateWindowHint')}</p>
        <div className="grid-2">
          {field('rateLimitWindow')}
          {WINDOW_FIELDS.map(field)}
        </div>
        {window > 0 && parts.length > 0 && (
          <p className="small" aria-live="polite">
            {t('keyForm.perWindow', { limits: parts.join(', '), window: fmt.number(window) })}
          </p>
        )}
      </fieldset>
      <div className="grid-2">{OTHER_FIELDS.map(field)}</div>
    </>
  );
}
