/**
 * What a chart or a ranking measures, and how its values are written — without the charts library, so a page that
 * only ranks (the leaderboard) does not load it (issue 15, point 1).
 */
import { type Formatter, useI18n } from '../i18n';
import { Segmented } from './ui';

export type Metric = 'tokens' | 'requests' | 'cost';
export const METRICS: Metric[] = ['tokens', 'requests', 'cost'];

/** Line colours, defined per theme in styles.css (--chart-1 … --chart-10). */
export const PALETTE = Array.from({ length: 10 }, (_, i) => `var(--chart-${i + 1})`);

/** A metric's values in full: tables, tooltips, summaries. Axes use `fmt.axis` (round ticks, one notation). */
export function metricFormat(fmt: Formatter, metric: Metric): (v: number) => string {
  return metric === 'cost' ? fmt.money : fmt.number;
}

export function MetricPicker({
  value,
  onChange,
  label,
}: {
  value: Metric;
  onChange(m: Metric): void;
  /** The group's accessible name ("Metric" unless told). */
  label?: string;
}) {
  const { t } = useI18n();
  return (
    <Segmented
      label={label ?? t('chart.metric')}
      value={value}
      onChange={onChange}
      options={METRICS.map((m) => ({ value: m, label: t(`common.${m}`) }))}
    />
  );
}
