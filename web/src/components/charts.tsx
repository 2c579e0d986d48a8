import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SeriesPoint } from '../api/contract';
import { type Formatter, useI18n } from '../i18n';
import { Segmented } from './ui';

export type Metric = 'tokens' | 'requests' | 'cost';
export const METRICS: Metric[] = ['tokens', 'requests', 'cost'];

export const PALETTE = [
  '#c2410c',
  '#2563eb',
  '#059669',
  '#7c3aed',
  '#db2777',
  '#0891b2',
  '#ca8a04',
  '#4b5563',
  '#dc2626',
  '#65a30d',
];

export function metricFormat(fmt: Formatter, metric: Metric, axis = false): (v: number) => string {
  if (metric === 'cost') return axis ? (v) => fmt.money(v).replace(/\.00$/, '') : fmt.money;
  return axis ? fmt.compact : fmt.number;
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

const HEIGHT = 280;

function axisProps(fmt: Formatter, metric: Metric, days: number) {
  return {
    x: {
      dataKey: 'date',
      tickFormatter: (d: string) => fmt.day(d),
      tick: { fontSize: 12, fill: '#6b7280' },
      tickLine: false,
      axisLine: { stroke: '#e5e7eb' },
      minTickGap: 24,
      interval: 'preserveStartEnd' as const,
      // Very long ranges: fewer, more spaced ticks keep the labels readable on a phone.
      ...(days > 120 ? { minTickGap: 40 } : {}),
    },
    y: {
      tickFormatter: metricFormat(fmt, metric, true),
      tick: { fontSize: 12, fill: '#6b7280' },
      tickLine: false,
      axisLine: false,
      width: 64,
    },
  };
}

/** One area of daily usage (dashboard, key detail). */
export function UsageChart({ series, metric, label }: { series: SeriesPoint[]; metric: Metric; label: string }) {
  const { t, fmt } = useI18n();
  const axes = axisProps(fmt, metric, series.length);
  const value = metricFormat(fmt, metric);
  return (
    <div className="chart" role="img" aria-label={label} style={{ height: HEIGHT }}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <defs>
            <linearGradient id="usageFill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="#c2410c" stopOpacity={0.28} />
              <stop offset="100%" stopColor="#c2410c" stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <CartesianGrid stroke="#f0f0f0" vertical={false} />
          <XAxis {...axes.x} />
          <YAxis {...axes.y} />
          <Tooltip
            formatter={(v) => [value(Number(v)), t(`common.${metric}`)]}
            labelFormatter={(d) => fmt.day(String(d), 'long')}
          />
          <Area
            type="monotone"
            dataKey={metric}
            stroke="#c2410c"
            strokeWidth={2}
            fill="url(#usageFill)"
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

export interface ChartLine {
  id: string;
  name: string;
  series: SeriesPoint[];
}

/** One line per key on a shared date axis (compare). */
export function MultiLineChart({ lines, metric, label }: { lines: ChartLine[]; metric: Metric; label: string }) {
  const { fmt } = useI18n();
  const byDate = new Map<string, Record<string, number | string>>();
  for (const line of lines) {
    for (const p of line.series) {
      const row = byDate.get(p.date) ?? { date: p.date };
      row[line.id] = p[metric];
      byDate.set(p.date, row);
    }
  }
  const data = [...byDate.values()].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  const axes = axisProps(fmt, metric, data.length);
  const value = metricFormat(fmt, metric);
  return (
    <div className="chart" role="img" aria-label={label} style={{ height: HEIGHT + 40 }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#f0f0f0" vertical={false} />
          <XAxis {...axes.x} />
          <YAxis {...axes.y} />
          <Tooltip
            formatter={(v, name) => [value(Number(v)), name]}
            labelFormatter={(d) => fmt.day(String(d), 'long')}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} />
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
  );
}
