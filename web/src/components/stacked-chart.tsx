import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../i18n';
import { type Metric, PALETTE } from './metric';
import type { Figures } from './usage-table';

/** One bar of the chart (a day or an hour), its total and its parts (keys or models). */
export interface StackedPoint extends Figures {
  /** What the axis shows. */
  label: string;
  /** The tooltip's title. */
  title: string;
  parts: Array<Figures & { id: string }>;
}

/** A series of the stack: a key or a model, with its name and legend. */
export interface StackSeries {
  id: string;
  name: string;
}

const HEIGHT = 300;

/**
 * Bars stacked by key or by model, the metric chosen by the page; the tooltip lists every part with all three
 * figures (requests, tokens, cost), so no metric needs a second look.
 */
export function StackedChart({
  points,
  series,
  metric,
  label,
}: {
  points: StackedPoint[];
  series: StackSeries[];
  metric: Metric;
  label: string;
}) {
  const { t, fmt } = useI18n();
  const names = new Map(series.map((s) => [s.id, s.name]));
  const data = points.map((p) => {
    const row: Record<string, number | string> = { label: p.label };
    for (const part of p.parts) row[part.id] = part[metric];
    return row;
  });
  // Round ticks, one notation for the whole axis (the bars' totals set its height).
  const axis = fmt.axis(Math.max(0, ...points.map((p) => p[metric])), metric === 'cost' ? 'money' : 'count');
  return (
    <div className="chart" role="img" aria-label={label} style={{ height: HEIGHT }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" vertical={false} />
          <XAxis
            dataKey="label"
            tick={{ fontSize: 12, fill: 'var(--muted)' }}
            tickLine={false}
            axisLine={{ stroke: 'var(--border)' }}
            minTickGap={16}
          />
          <YAxis
            ticks={axis.ticks}
            domain={[0, axis.ticks[axis.ticks.length - 1]]}
            tickFormatter={axis.format}
            tick={{ fontSize: 12, fill: 'var(--muted)' }}
            tickLine={false}
            axisLine={false}
            width={64}
          />
          <Tooltip
            cursor={{ fill: 'var(--border)', fillOpacity: 0.4 }}
            content={({ active, label: at }) => {
              const p = active ? points.find((x) => x.label === at) : undefined;
              if (!p) return null;
              const line = (f: Figures) =>
                `${fmt.number(f.requests)} ${t('common.requests').toLowerCase()} · ${fmt.compact(f.tokens)} ${t('common.tokens').toLowerCase()} · ${fmt.money(f.cost)}`;
              return (
                <div className="chart-tip">
                  <div className="chart-tip-title">{p.title}</div>
                  {p.parts.map((part) => (
                    <div key={part.id} className="chart-tip-row">
                      <span className="swatch" style={{ background: colorOf(series, part.id) }} />
                      <span className="chart-tip-name">{names.get(part.id) ?? part.id}</span>
                      <span className="chart-tip-figures">{line(part)}</span>
                    </div>
                  ))}
                  <div className="chart-tip-row chart-tip-total">
                    <span className="chart-tip-name">{t('chart.total')}</span>
                    <span className="chart-tip-figures">{line(p)}</span>
                  </div>
                </div>
              );
            }}
          />
          <Legend wrapperStyle={{ fontSize: 13 }} />
          {series.map((s, i) => (
            <Bar
              key={s.id}
              dataKey={s.id}
              name={s.name}
              stackId="all"
              fill={PALETTE[i % PALETTE.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

const colorOf = (series: StackSeries[], id: string) =>
  PALETTE[
    Math.max(
      0,
      series.findIndex((s) => s.id === id),
    ) % PALETTE.length
  ];
