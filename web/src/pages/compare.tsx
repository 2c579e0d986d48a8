import { useState } from 'react';
import type { CompareEntry } from '../api/contract';
import { useAllKeys, useCompare } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { MultiLineChart } from '../components/lazy-charts';
import type { ChartLine } from '../components/line-chart';
import { type Metric, MetricPicker, PALETTE } from '../components/metric';
import { RangePicker } from '../components/range-picker';
import { Card, EmptyState, PageHeader, Skeleton } from '../components/ui';
import { KeyLink, UsageTable } from '../components/usage-table';
import { useI18n } from '../i18n';
import { useUrlRange } from '../lib/range';
import { Link, setSearch, useLocation } from '../lib/router';

const MAX = 10;

/** A compared key, or one picked whose answer has not come yet. */
type Row = CompareEntry | { keyId: string };

export function ComparePage() {
  const { t, fmt } = useI18n();
  const { search } = useLocation();
  const [range, setRange] = useUrlRange();
  const [metric, setMetric] = useState<Metric>('tokens');
  const keys = useAllKeys();
  const selected = (search.get('keys') ?? '').split(',').filter(Boolean).slice(0, MAX);
  const compare = useCompare(selected, range);
  const data = compare.data;

  const toggle = (id: string) => {
    const next = selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id].slice(0, MAX);
    setSearch({ keys: next.join(',') });
  };

  const ok = (data?.keys ?? []).filter((k): k is Extract<CompareEntry, { name: string }> => 'name' in k);
  const lines: ChartLine[] = ok.map((k) => ({ id: k.keyId, name: k.name, series: k.series }));
  const nameOf = (id: string) => keys.data?.items.find((k) => k.id === id)?.name ?? id.slice(0, 8);
  const colorOf = (id: string) => PALETTE[ok.findIndex((k) => k.keyId === id) % PALETTE.length];

  return (
    <>
      <PageHeader
        title={t('compare.title')}
        subtitle={
          data
            ? `${t('compare.subtitle')} · ${t('compare.period', {
                from: fmt.day(data.range.from, 'long'),
                to: fmt.day(data.range.to, 'long'),
                tz: data.range.timezone,
              })}`
            : t('compare.subtitle')
        }
        actions={data && <Freshness asOf={data.asOf} stale={data.stale} timezone={data.range.timezone} />}
      />
      <Card
        title={t('compare.pick')}
        actions={<span className="muted small">{t('compare.selected', { n: selected.length })}</span>}
      >
        {keys.error ? (
          <ErrorMessage error={keys.error} onRetry={() => keys.refetch()} compact />
        ) : !keys.data ? (
          <Skeleton height="40px" width="100%" />
        ) : keys.data.items.length < 2 ? (
          <EmptyState
            title={t('compare.noKeys')}
            action={
              <Link to="/keys?create=1" className="btn btn-primary">
                {t('keys.create')}
              </Link>
            }
          />
        ) : (
          <fieldset className="key-picker">
            <legend className="visually-hidden">{t('compare.pick')}</legend>
            {keys.data.items.map((k) => {
              const on = selected.includes(k.id);
              return (
                <label key={k.id} className={`pick ${on ? 'pick-on' : ''}`}>
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={!on && selected.length >= MAX}
                    onChange={() => toggle(k.id)}
                  />
                  {on && ok.length > 0 && colorOf(k.id) && (
                    <span className="dot" style={{ background: colorOf(k.id) }} aria-hidden="true" />
                  )}
                  {k.name}
                </label>
              );
            })}
          </fieldset>
        )}
      </Card>
      <div className="toolbar">
        <RangePicker value={range} onChange={setRange} />
        <MetricPicker value={metric} onChange={setMetric} />
      </div>
      {selected.length < 2 ? (
        <div className="alert alert-info">{t('compare.needTwo')}</div>
      ) : compare.error && !data ? (
        <ErrorMessage error={compare.error} onRetry={() => compare.refetch()} />
      ) : (
        <>
          <Card>
            {data ? (
              <MultiLineChart lines={lines} metric={metric} label={t('compare.title')} timezone={data.range.timezone} />
            ) : (
              <Skeleton height="320px" width="100%" />
            )}
          </Card>
          <Card className="card-flush">
            <UsageTable<Row>
              label={t('compare.title')}
              // Before the answer, the picked keys by name, their figures still loading.
              rows={data?.keys ?? selected.map((keyId) => ({ keyId }))}
              rowKey={(k) => k.keyId}
              lead={[
                {
                  header: t('common.key'),
                  cell: (k) => (
                    <KeyLink id={k.keyId}>
                      {'name' in k ? (
                        <>
                          <span className="dot" style={{ background: colorOf(k.keyId) }} aria-hidden="true" />
                          {k.name}
                        </>
                      ) : (
                        nameOf(k.keyId)
                      )}
                    </KeyLink>
                  ),
                },
              ]}
              figures={(k) =>
                'totals' in k
                  ? k.totals
                  : 'error' in k
                    ? { instead: t('compare.failed', { message: k.error.message }), className: 'text-danger' }
                    : { instead: <Skeleton width="60%" /> }
              }
            />
          </Card>
        </>
      )}
    </>
  );
}
