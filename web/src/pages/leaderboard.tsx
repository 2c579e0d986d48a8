import { useState } from 'react';
import type { LeaderboardSort, User } from '../api/contract';
import { useLeaderboard } from '../api/queries';
import { MetricPicker, metricFormat } from '../components/charts';
import { ErrorMessage } from '../components/error-message';
import { Freshness } from '../components/freshness';
import { Card, EmptyState, PageHeader, Segmented, SkeletonRows } from '../components/ui';
import { useI18n } from '../i18n';
import { Link } from '../lib/router';

const LIMITS = [10, 25, 50, 100];

export function LeaderboardPage({ user }: { user: User }) {
  const { t, fmt } = useI18n();
  const [sortBy, setSortBy] = useState<LeaderboardSort>('tokens');
  const [scope, setScope] = useState<'mine' | 'all'>('mine');
  const [limit, setLimit] = useState(10);
  const lb = useLeaderboard(sortBy, scope, limit);
  const data = lb.data;
  const max = Math.max(1, ...(data?.items.map((i) => i[sortBy]) ?? [1]));
  const value = metricFormat(fmt, sortBy);
  const showOwner = data?.scope === 'all';

  return (
    <>
      <PageHeader
        title={t('lb.title')}
        subtitle={t('lb.subtitle')}
        actions={data && <Freshness asOf={data.asOf} stale={data.stale} />}
      />
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
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col" className="rank-col">
                    {t('lb.rank')}
                  </th>
                  <th scope="col">{t('common.key')}</th>
                  {showOwner && <th scope="col">{t('lb.owner')}</th>}
                  <th scope="col" className="num">
                    {t('common.requests')}
                  </th>
                  <th scope="col" className="num">
                    {t('common.tokens')}
                  </th>
                  <th scope="col" className="num">
                    {t('common.cost')}
                  </th>
                  <th scope="col" className="hide-sm">
                    <span className="visually-hidden">{t(`common.${sortBy}`)}</span>
                  </th>
                  <th scope="col" className="hide-sm">
                    {t('common.lastUsed')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {!data && <SkeletonRows rows={5} cols={showOwner ? 8 : 7} />}
                {data?.items.map((i) => (
                  <tr key={i.keyId}>
                    <td className="rank-col">
                      <span className={`rank rank-${i.rank}`}>{i.rank}</span>
                    </td>
                    <td>
                      {showOwner ? (
                        i.name
                      ) : (
                        <Link to={`/keys/${i.keyId}`} className="strong-link">
                          {i.name}
                        </Link>
                      )}
                    </td>
                    {showOwner && <td>{i.owner ?? '—'}</td>}
                    <td className="num">{fmt.number(i.requests)}</td>
                    <td className="num" title={fmt.number(i.tokens)}>
                      {fmt.compact(i.tokens)}
                    </td>
                    <td className="num">{fmt.money(i.cost)}</td>
                    <td className="hide-sm share-cell" title={value(i[sortBy])}>
                      <span className="share-bar wide" aria-hidden="true">
                        <span style={{ width: `${(i[sortBy] / max) * 100}%` }} />
                      </span>
                    </td>
                    <td className="hide-sm nowrap">
                      {i.lastUsedAt ? fmt.relative(i.lastUsedAt) : <span className="muted">{t('common.never')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </>
  );
}
