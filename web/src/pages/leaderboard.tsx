import { useState } from 'react';
import type { LeaderboardResponse, LeaderboardSort, User } from '../api/contract';
import { useLeaderboard } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { MetricPicker, metricFormat } from '../components/metric';
import { RangePicker } from '../components/range-picker';
import { Card, EmptyState, PageHeader, Segmented } from '../components/ui';
import { KeyLink, ShareBar, UsageTable } from '../components/usage-table';
import { useI18n } from '../i18n';
import { useUrlRange } from '../lib/range';
import { Link } from '../lib/router';

const LIMITS = [10, 25, 50, 100];

type Item = LeaderboardResponse['items'][number];

export function LeaderboardPage({ user }: { user: User }) {
  const { t, fmt } = useI18n();
  const [sortBy, setSortBy] = useState<LeaderboardSort>('tokens');
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [limit, setLimit] = useState(10);
  const [lifetime, setLifetime] = useState(true);
  const [range, setRange] = useUrlRange();
  const lb = useLeaderboard(sortBy, scope, limit, lifetime ? null : range);
  const data = lb.data;
  const max = Math.max(1, ...(data?.items.map((i) => i[sortBy]) ?? [1]));
  const value = metricFormat(fmt, sortBy);
  const showOwner = data?.scope === 'all';

  return (
    <>
      <PageHeader
        title={t('lb.title')}
        subtitle={
          data?.range
            ? t('lb.periodRange', { from: fmt.day(data.range.from, 'long'), to: fmt.day(data.range.to, 'long') })
            : data
              ? t('lb.periodLifetime')
              : t('lb.subtitle')
        }
        actions={data && <Freshness asOf={data.asOf} stale={data.stale} timezone={data.range?.timezone} />}
      />
      <div className="toolbar">
        <Segmented
          label={t('lb.period')}
          value={lifetime ? 'lifetime' : 'range'}
          onChange={(v) => setLifetime(v === 'lifetime')}
          options={[
            { value: 'lifetime', label: t('lb.lifetime') },
            { value: 'range', label: t('range.label') },
          ]}
        />
        {!lifetime && <RangePicker value={range} onChange={setRange} />}
      </div>
      <div className="toolbar">
        <MetricPicker label={t('lb.sortBy')} value={sortBy} onChange={setSortBy} />
        {user.role === 'admin' && (
          <Segmented
            label={t('lb.scope')}
            value={scope}
            onChange={setScope}
            options={[
              { value: 'mine', label: t('lb.scope.mine') },
              { value: 'all', label: t('lb.scope.all') },
            ]}
          />
        )}
        <label className="inline-label small muted">
          {t('lb.limit')}
          <select className="input input-sm" value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      {lb.error && !data ? (
        <ErrorMessage error={lb.error} onRetry={() => lb.refetch()} />
      ) : data && data.items.length === 0 ? (
        <Card>
          <EmptyState
            title={t('lb.empty')}
            action={
              <Link to="/keys?create=1" className="btn btn-primary">
                {t('keys.create')}
              </Link>
            }
          />
        </Card>
      ) : (
        <Card className="card-flush">
          <UsageTable
            label={t('lb.title')}
            rows={data?.items}
            rowKey={(i) => i.keyId}
            loadingRows={5}
            lead={[
              {
                header: t('lb.rank'),
                className: 'rank-col',
                cell: (i) => <span className={`rank rank-${i.rank}`}>{i.rank}</span>,
              },
              // Another user's key has no page here: its name only.
              { header: t('common.key'), cell: (i) => (showOwner ? i.name : <KeyLink id={i.keyId}>{i.name}</KeyLink>) },
              ...(showOwner ? [{ header: t('lb.owner'), cell: (i: Item) => i.owner ?? '—' }] : []),
            ]}
            trail={[
              {
                header: <span className="visually-hidden">{t(`common.${sortBy}`)}</span>,
                className: 'hide-sm',
                cellClassName: 'share-cell',
                title: (i) => value(i[sortBy]),
                cell: (i) => <ShareBar part={i[sortBy] / max} wide />,
              },
              {
                header: t('common.lastUsed'),
                className: 'hide-sm',
                cellClassName: 'nowrap',
                cell: (i) =>
                  i.lastUsedAt ? fmt.relative(i.lastUsedAt) : <span className="muted">{t('common.never')}</span>,
              },
            ]}
          />
        </Card>
      )}
    </>
  );
}
