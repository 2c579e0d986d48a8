import { useState } from 'react';
import type { UsageResponse } from '../api/contract';
import { useUsage } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { UsageChart } from '../components/lazy-charts';
import { type Metric, MetricPicker } from '../components/metric';
import { RangePicker } from '../components/range-picker';
import { TokenSplitBar } from '../components/token-split';
import { Card, EmptyState, PageHeader, Skeleton } from '../components/ui';
import { KeyLink, ShareBar, UsageTable } from '../components/usage-table';
import { useI18n } from '../i18n';
import { useDrawnMark } from '../lib/drawn';
import { perDayAverage } from '../lib/per-day';
import { useUrlRange } from '../lib/range';
import { Link } from '../lib/router';

export function DashboardPage() {
  const { t } = useI18n();
  const [range, setRange] = useUrlRange();
  const [metric, setMetric] = useState<Metric>('tokens');
  const usage = useUsage(range);
  const data = usage.data;
  // When the figures are on screen: what `npm run bench:web` times (bench/web.ts).
  useDrawnMark('dashboard', Boolean(data), data?.perKey.length === 0 ? '.empty' : '.chart svg');

  return (
    <>
      <PageHeader
        title={t('dash.title')}
        subtitle={t('dash.subtitle')}
        actions={data && <Freshness asOf={data.asOf} stale={data.stale} timezone={data.range.timezone} />}
      />
      <div className="toolbar">
        <RangePicker value={range} onChange={setRange} />
      </div>
      {usage.error && !data ? (
        <ErrorMessage error={usage.error} onRetry={() => usage.refetch()} />
      ) : data && data.perKey.length === 0 ? (
        <Card>
          <EmptyState
            title={t('dash.empty.title')}
            body={t('dash.empty.body')}
            action={
              <Link to="/keys?create=1" className="btn btn-primary">
                {t('dash.empty.cta')}
              </Link>
            }
          />
        </Card>
      ) : (
        <>
          <TotalsCards data={data} />
          <Card title={t('dash.daily')} actions={<MetricPicker value={metric} onChange={setMetric} />}>
            {data ? (
              <>
                <UsageChart
                  series={data.series}
                  metric={metric}
                  label={t('dash.daily')}
                  timezone={data.range.timezone}
                />
                {data.totals.requests === 0 && <p className="muted small center">{t('dash.noUsage')}</p>}
              </>
            ) : (
              <Skeleton className="chart-skeleton" height="280px" width="100%" />
            )}
          </Card>
          <PerKeyTable data={data} />
        </>
      )}
    </>
  );
}

function TotalsCards({ data }: { data?: UsageResponse }) {
  const { t, fmt } = useI18n();
  const totals = data?.totals;
  const avg = data && perDayAverage(data.series, data.totals.requests);
  return (
    <div className="stat-grid">
      <div className="stat card">
        <div className="stat-label">{t('dash.requests')}</div>
        <div className="stat-value">{totals ? fmt.number(totals.requests) : <Skeleton width="60%" />}</div>
        <div className="stat-sub muted small">
          {avg ? (
            avg.since ? (
              t('dash.avgPerDaySince', { value: fmt.number(avg.value), day: fmt.day(avg.since, 'long') })
            ) : (
              t('dash.avgPerDay', { value: fmt.number(avg.value) })
            )
          ) : (
            <Skeleton width="40%" />
          )}
        </div>
      </div>
      <div className="stat card">
        <div className="stat-label">{t('dash.tokens')}</div>
        <div className="stat-value" title={totals ? fmt.number(totals.tokens) : undefined}>
          {totals ? fmt.compact(totals.tokens) : <Skeleton width="60%" />}
        </div>
        {totals ? <TokenSplitBar totals={totals} /> : <Skeleton width="90%" />}
      </div>
      <div className="stat card">
        <div className="stat-label">{t('dash.cost')}</div>
        <div className="stat-value">{totals ? fmt.money(totals.cost) : <Skeleton width="60%" />}</div>
        <div className="stat-sub muted small">
          {totals ? (
            t('dash.costPerRequest', { value: fmt.money(totals.requests ? totals.cost / totals.requests : 0) })
          ) : (
            <Skeleton width="40%" />
          )}
        </div>
      </div>
    </div>
  );
}

function PerKeyTable({ data }: { data?: UsageResponse }) {
  const { t, fmt } = useI18n();
  const total = data?.totals.tokens || 1;
  // A key with a sliver of the usage is not "0%".
  const share = (r: number) => (r > 0 && r < 0.001 ? `<${fmt.percent(0.001)}` : fmt.percent(r));
  return (
    <Card title={t('dash.perKey')}>
      <UsageTable
        label={t('dash.perKey')}
        rows={data?.perKey}
        rowKey={(k) => k.keyId}
        requestsHideSm
        lead={[{ header: t('common.key'), cell: (k) => <KeyLink id={k.keyId}>{k.name}</KeyLink> }]}
        trail={[
          {
            header: t('common.share'),
            className: 'hide-sm',
            cellClassName: 'share-cell',
            cell: (k) => (
              <>
                <ShareBar part={k.tokens / total} />
                <span className="small muted">{share(k.tokens / total)}</span>
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
