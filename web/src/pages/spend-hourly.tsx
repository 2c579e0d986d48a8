import { useState } from 'react';
import { useHourly } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { type Metric, MetricPicker } from '../components/metric';
import { StackedChart } from '../components/stacked-chart';
import { Card, Skeleton } from '../components/ui';
import { useI18n } from '../i18n';

const LAST_7_DAYS = { preset: '7d' } as const;

/** The hourly view of the last 7 CRS days, stacked by key (from the portal's own hourly history). */
export function HourlySection() {
  const { t, fmt } = useI18n();
  const [metric, setMetric] = useState<Metric>('tokens');
  const hourly = useHourly(LAST_7_DAYS);
  const data = hourly.data;
  // Hours are shown in CRS's time, like its days: the answer's timezone ("UTC+8") shifts the UTC instant.
  const tz = data?.range.timezone ?? 'UTC';
  const offsetMs = Number(/^UTC([+-]\d+)$/.exec(tz)?.[1] ?? 0) * 3_600_000;
  const inCrs = (iso: string, o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(fmt.locale, { ...o, timeZone: 'UTC', hourCycle: 'h23' }).format(
      new Date(Date.parse(iso) + offsetMs),
    );
  const points = (data?.series ?? []).map((h) => ({
    label: inCrs(h.hour, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
    title: `${inCrs(h.hour, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })} (${tz})`,
    requests: h.requests,
    tokens: h.tokens,
    cost: h.cost,
    parts: h.keys.map((k) => ({ ...k, id: k.keyId })),
  }));
  const series = (data?.perKey ?? []).filter((k) => k.requests > 0).map((k) => ({ id: k.keyId, name: k.name }));
  return (
    <Card title={t('spend.hourly')} actions={<MetricPicker value={metric} onChange={setMetric} />}>
      <p className="muted small">{t('spend.hourlyNote')}</p>
      {hourly.error && !data ? (
        <ErrorMessage error={hourly.error} onRetry={() => hourly.refetch()} compact />
      ) : data ? (
        <StackedChart points={points} series={series} metric={metric} label={t('spend.hourly')} />
      ) : (
        <Skeleton className="chart-skeleton" height="300px" width="100%" />
      )}
    </Card>
  );
}
