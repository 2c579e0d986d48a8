/** One line per key on a shared date axis (compare); its own module so the dashboard loads no line or legend code. */
import { useId } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from '../api/contract';
import { useI18n } from '../i18n';
import { axes, Caption, HEIGHT, TOOLTIP } from './chart-parts';
import { ChartTable } from './chart-table';
import { type Metric, metricFormat, PALETTE } from './metric';

export interface ChartLine {
  id: string;
  name: string;
  series: SeriesPoint[];
}

export function MultiLineChart({
  lines,
  metric,
  label,
  timezone,
}: {
  lines: ChartLine[];
  metric: Metric;
  label: string;
  timezone?: string;
}) {
  const { t, fmt } = useI18n();
  const captionId = useId();
  const byDate = new Map<string, Record<string, number | string>>();
  for (const line of lines) {
    for (const p of line.series) {
      const row = byDate.get(p.date) ?? { date: p.date };
      row[line.id] = p[metric];
      byDate.set(p.date, row);
    }
  }
  const data = [...byDate.values()].sort((x, y) => String(x.date).localeCompare(String(y.date)));
  const dates = data.map((d) => String(d.date));
  const values = lines.flatMap((l) => l.series.map((p) => p[metric]));
  const a = axes(fmt, metric, dates, values);
  const value = metricFormat(fmt, metric);
  const range = dates.length ? fmt.dayRange(dates[0], dates[dates.length - 1]) : '';
  const summary = t('chart.linesSummary', { metric: t(`common.${metric}`), n: lines.length, range });
  return (
    <figure className="chart-figure" aria-label={label} aria-describedby={captionId}>
      <div className="chart" aria-hidden="true" style={{ height: HEIGHT + 40 }}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--border)" vertical={false} />
            <XAxis {...a.x} />
            <YAxis {...a.y} />
            <Tooltip
              {...TOOLTIP}
              formatter={(v, name) => [value(Number(v)), name]}
              labelFormatter={(d) => fmt.day(String(d), 'long')}
            />
            <Legend wrapperStyle={{ fontSize: 13, color: 'var(--text)' }} />
            {lines.map((l, i) => (
              <Line
                key={l.id}
                dataKey={l.id}
                name={l.name}
                type="monotone"
                stroke={PALETTE[i % PALETTE.length]}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <Caption id={captionId} summary={summary} timezone={timezone} />
      <ChartTable
        label={label}
        columns={lines.map((l) => l.name)}
        rows={data.map((d) => ({
          date: String(d.date),
          values: lines.map((l) => (typeof d[l.id] === 'number' ? value(d[l.id] as number) : '—')),
        }))}
      />
    </figure>
  );
}
