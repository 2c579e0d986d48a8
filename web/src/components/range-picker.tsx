import { type FormEvent, useId, useState } from 'react';
import { useI18n } from '../i18n';
import { addDays, PRESETS, type Preset, type RangeProblem, type RangeValue, today, validateCustom } from '../lib/range';
import { Segmented } from './ui';

const PROBLEM = { missing: 'range.errMissing', order: 'range.errOrder', span: 'range.errSpan' } as const;

/** 7 / 30 / 90 / 365 days, or a custom inclusive from–to (checked here against the API's own rules). */
export function RangePicker({ value, onChange }: { value: RangeValue; onChange(v: RangeValue): void }) {
  const { t } = useI18n();
  const id = useId();
  const isCustom = !('preset' in value);
  const [customOpen, setCustomOpen] = useState(isCustom);
  const [from, setFrom] = useState(isCustom ? value.from : addDays(today(), -29));
  const [to, setTo] = useState(isCustom ? value.to : today());
  const [problem, setProblem] = useState<RangeProblem | null>(null);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const p = validateCustom(from, to);
    setProblem(p);
    if (!p) onChange({ from, to });
  };

  const options: { value: Preset | 'custom'; label: string }[] = [
    ...PRESETS.map((p) => ({ value: p, label: t(`range.${p}`) })),
    { value: 'custom', label: t('range.custom') },
  ];
  const selected: Preset | 'custom' = customOpen ? 'custom' : 'preset' in value ? value.preset : 'custom';

  return (
    <div className="range-picker">
      <Segmented
        label={t('range.label')}
        value={selected}
        options={options}
        onChange={(v) => {
          if (v === 'custom') {
            setCustomOpen(true);
            return;
          }
          setCustomOpen(false);
          setProblem(null);
          onChange({ preset: v });
        }}
      />
      {customOpen && (
        <form className="range-custom" onSubmit={apply} noValidate>
          <label htmlFor={`${id}-from`} className="small muted">
            {t('range.from')}
          </label>
          <input
            id={`${id}-from`}
            className="input input-sm"
            type="date"
            value={from}
            max={to || undefined}
            onChange={(e) => setFrom(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-err` : undefined}
          />
          <label htmlFor={`${id}-to`} className="small muted">
            {t('range.to')}
          </label>
          <input
            id={`${id}-to`}
            className="input input-sm"
            type="date"
            value={to}
            min={from || undefined}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-err` : undefined}
          />
          <button type="submit" className="btn btn-primary btn-sm">
            {t('range.apply')}
          </button>
          {problem && (
            <p id={`${id}-err`} className="field-error range-error" role="alert">
              {t(PROBLEM[problem])}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
