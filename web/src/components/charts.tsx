/**
 * The daily usage chart (Recharts), loaded only with the pages that draw it (issue 15, point 1). Each chart is a
 * named figure: the picture is hidden from assistive technology and out of the tab order, and a caption says what it
 * shows (range, total, busiest day, and that days are CRS days), with the figures as a table one click away.
 */
import { useId } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from '../api/contract';
import { useI18n } from '../i18n';
import { axes, Caption, HEIGHT, TOOLTIP } from './chart-parts';
import { ChartTable } from './chart-table';
import { type Metric, metricFormat } from './metric';

/** One area of daily usage (dashboard, key detail, CRS's trend). `timezone`: CRS's, when the days are CRS days. */
export function UsageChart({
  series,
  metric,
  label,
  timezone,
}: {
  series: SeriesPoint[];
  metric: Metric;
  label: string;
  timezone?: string;
}) {
  const { t, fmt } = useI18n();
  const captionId = useId();
  const gradientId = useId();
  const dates = series.map((p) => p.date);
  const values = series.map((p) => p[metric]);
  const a = axes(fmt, metric, dates, values);
  const value = metricFormat(fmt, metric);
  const name = t(`common.${metric}`);
  const range = dates.length ? fmt.dayRange(dates[0], dates[dates.length - 1]) : '';
  const total = values.reduce((s, v) => s + v, 0);
  const peak = values.reduce((best, v, i) => (v > values[best] ? i : best), 0);
  const summary =
    total > 0
      ? t('chart.summary', {
          metric: name,
          range,
          total: value(total),
          day: a.day(dates[peak]),
          peak: value(values[peak]),
        })
      : t('chart.summaryEmpty', { metric: name, range });
  return (
    <figure className="chart-figure" aria-label={label} aria-describedby={captionId}>
      <div className="chart" aria-hidden="true" style={{ height: HEIGHT }}>
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <defs>
              <linearGradient id={gradientId} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor="var(--chart-1)" stopOpacity={0.28} />
                <stop offset="100%" stopColor="var(--chart-1)" stopOpacity={0.02} />
              </linearGradient>
            </defs>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis {...a.x} />
            <YAxis {...a.y} />
            <Tooltip
              {...TOOLTIP}
              formatter={(v) => [value(Number(v)), name]}
              labelFormatter={(d) => fmt.day(String(d), 'long')}
            />
            <Area
              type="monotone"
              dataKey={metric}
              stroke="var(--chart-1)"
              strokeWidth={2}
              fill={`url(#${gradientId})`}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <Caption id={captionId} summary={summary} timezone={timezone} />
      <ChartTable
        label={label}
        columns={[name]}
        rows={series.map((p) => ({ date: p.date, values: [value(p[metric])] }))}
      />
    </figure>
  );
}
