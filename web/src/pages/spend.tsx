import { useState } from 'react';
import type { SummaryResponse } from '../api/contract';
import { useSummary } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { type Metric, MetricPicker } from '../components/metric';
import { RangePicker } from '../components/range-picker';
import { StackedChart, type StackSeries } from '../components/stacked-chart';
import { Card, PageHeader, Segmented, Skeleton } from '../components/ui';
import { UsageTable } from '../components/usage-table';
import { useI18n } from '../i18n';
import { useUrlRange } from '../lib/range';
import { HourlySection } from './spend-hourly';

type Stack = 'key' | 'model';
/** The id of the series "not known by model" (the API's null model). */
export const UNKNOWN = '~unknown';

/** The spend summary: today, the month and its projection, the range against the one before, stacked by key or model. */
export function SpendPage() {
  const { t } = useI18n();
  const [range, setRange] = useUrlRange();
  const summary = useSummary(range);
  const data = summary.data;
  return (
    <>
      <PageHeader
        title={t('spend.title')}
        subtitle={t('spend.subtitle')}
        actions={data && <Freshness asOf={data.asOf} stale={data.stale} timezone={data.range.timezone} />}
      />
      <div className="toolbar">
        <RangePicker value={range} onChange={setRange} />
      </div>
      {summary.error && !data ? (
        <ErrorMessage error={summary.error} onRetry={() => summary.refetch()} />
      ) : (
        <>
          <SpendCards data={data} />
          <DailyCard data={data} />
          <ModelsCard data={data} />
        </>
      )}
      <HourlySection />
    </>
  );
}

function SpendCards({ data }: { data?: SummaryResponse }) {
  const { t, fmt } = useI18n();
  const days = data ? data.days.length : 0;
  const stat = (label: string, value: string | undefined, sub: string | undefined, id: string) => (
    <div className="stat card" data-stat={id}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value ?? <Skeleton width="60%" />}</div>
      <div className="stat-sub muted small">{sub ?? <Skeleton width="50%" />}</div>
    </div>
  );
  const change = data?.change.cost;
  return (
    <div className="stat-grid stat-grid-4">
      {stat(
        t('spend.today'),
        data && fmt.money(data.today.cost),
        data &&
          `${fmt.number(data.today.requests)} ${t('common.requests').toLowerCase()} · ${fmt.compact(data.today.tokens)}`,
        'today',
      )}
      {stat(
        t('spend.month'),
        data && fmt.money(data.month.cost),
        data && t('spend.projected', { value: fmt.money(data.month.projectedCost) }),
        'month',
      )}
      {stat(
        t('spend.previousMonth', { month: data?.previousMonth.month ?? '' }),
        data && fmt.money(data.previousMonth.cost),
        data && `${fmt.number(data.previousMonth.requests)} ${t('common.requests').toLowerCase()}`,
        'previous-month',
      )}
      {stat(
        t('spend.range'),
        data && fmt.money(data.current.cost),
        data &&
          (change === null || change === undefined
            ? t('spend.noPrevious', { days })
            : t('spend.vsPrevious', {
                change: `${change >= 0 ? '+' : ''}${fmt.percent(change)}`,
                days,
                value: fmt.money(data.previous.cost),
              })),
        'range',
      )}
    </div>
  );
}

function DailyCard({ data }: { data?: SummaryResponse }) {
  const { t, fmt } = useI18n();
  const [stack, setStack] = useState<Stack>('key');
  const [metric, setMetric] = useState<Metric>('cost');
  const series: StackSeries[] = !data
    ? []
    : stack === 'key'
      ? data.byKey.map((k) => ({ id: k.keyId, name: k.name }))
      : data.byModel.map((m) => ({ id: m.model ?? UNKNOWN, name: m.model ?? t('spend.unknownModel') }));
  const points = (data?.days ?? []).map((d) => ({
    label: fmt.day(d.date),
    title: fmt.day(d.date, 'long'),
    requests: d.requests,
    tokens: d.tokens,
    cost: d.cost,
    parts:
      stack === 'key'
        ? d.keys.map((k) => ({ ...k, id: k.keyId }))
        : d.models.map((m) => ({ ...m, id: m.model ?? UNKNOWN })),
  }));
  return (
    <Card
      title={t('spend.byDay')}
      actions={
        <>
          <Segmented
            label={t('spend.stackBy')}
            value={stack}
            onChange={setStack}
            options={[
              { value: 'key', label: t('spend.stack.key') },
              { value: 'model', label: t('spend.stack.model') },
            ]}
          />
          <MetricPicker value={metric} onChange={setMetric} />
        </>
      }
    >
      {data ? (
        <>
          <StackedChart points={points} series={series} metric={metric} label={t('spend.byDay')} />
          {data.current.requests === 0 && <p className="muted small center">{t('spend.noUsage')}</p>}
        </>
      ) : (
        <Skeleton className="chart-skeleton" height="300px" width="100%" />
      )}
    </Card>
  );
}

function ModelsCard({ data }: { data?: SummaryResponse }) {
  const { t } = useI18n();
  return (
    <Card title={t('spend.byModel')} className="card-flush">
      <UsageTable
        label={t('spend.byModel')}
        rows={data?.byModel}
        rowKey={(m) => m.model ?? UNKNOWN}
        lead={[
          {
            header: t('common.model'),
            cellClassName: 'mono small',
            title: (m) => (m.model === null ? t('spend.unknownModelHint') : m.model),
            cell: (m) => m.model ?? <span className="muted">{t('spend.unknownModel')}</span>,
          },
        ]}
        empty={t('spend.noUsage')}
      />
    </Card>
  );
}
