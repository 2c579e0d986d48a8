/** What the two charts share: axes with round ticks and dated labels, the caption, the tooltip's colours. */
import { type Formatter, useI18n } from '../i18n';
import type { Metric } from './metric';

export const HEIGHT = 280;
export const TOOLTIP = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border)', borderRadius: 8 },
  labelStyle: { color: 'var(--text)' },
  itemStyle: { color: 'var(--text)' },
  cursor: { stroke: 'var(--border-strong)' },
};

export function axes(fmt: Formatter, metric: Metric, dates: string[], values: number[]) {
  const axis = fmt.axis(Math.max(0, ...values), metric === 'cost' ? 'money' : 'count');
  const day = dates.length ? fmt.dayOfSpan(dates[0], dates[dates.length - 1]) : (d: string) => fmt.day(d);
  return {
    day,
    x: {
      dataKey: 'date',
      tickFormatter: day,
      tick: { fontSize: 12, fill: 'var(--muted)' },
      tickLine: false,
      axisLine: { stroke: 'var(--border)' },
      // Labels with a year are wider: more room between them.
      minTickGap: dates.length > 120 || day(dates[0] ?? '').length > 8 ? 40 : 24,
      interval: 'preserveStartEnd' as const,
    },
    y: {
      ticks: axis.ticks,
      domain: [0, axis.ticks[axis.ticks.length - 1]],
      tickFormatter: axis.format,
      tick: { fontSize: 12, fill: 'var(--muted)' },
      tickLine: false,
      axisLine: false,
      width: 64,
      allowDecimals: metric === 'cost',
    },
  };
}

export function Caption({ id, summary, timezone }: { id: string; summary: string; timezone?: string }) {
  const { t } = useI18n();
  return (
    <figcaption id={id} className="chart-caption muted small">
      {summary}
      {timezone && ` ${t('chart.crsDays', { tz: timezone })}`}
    </figcaption>
  );
}
