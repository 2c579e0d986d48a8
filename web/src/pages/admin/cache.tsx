import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { CacheStatsResponse, PurgeResponse } from '../../api/contract';
import { qk, useCacheStats } from '../../api/queries';
import { ActionCell } from '../../components/action-cell';
import { ErrorMessage, useErrorText } from '../../components/error-message';
import { ScrollRegion } from '../../components/scroll-region';
import { useToast } from '../../components/toast';
import { Button, Card, Skeleton } from '../../components/ui';
import { useI18n } from '../../i18n';

export function HitRateTable({
  stats,
  onPurge,
  purging,
}: {
  stats: CacheStatsResponse;
  onPurge?(ns: string): void;
  purging?: string | null;
}) {
  const { t, fmt } = useI18n();
  const names = Object.keys(stats.namespaces).sort();
  return (
    <ScrollRegion label={t('admin.cache.title')}>
      <table className="table table-cards">
        <thead>
          <tr>
            <th scope="col">{t('admin.cache.namespace')}</th>
            <th scope="col" className="num">
              {t('admin.cache.hits')}
            </th>
            <th scope="col" className="num">
              {t('admin.cache.misses')}
            </th>
            <th scope="col" className="num hide-sm">
              {t('admin.cache.stale')}
            </th>
            <th scope="col">{t('admin.cache.rate')}</th>
            {onPurge && (
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {names.map((ns) => {
            const s = stats.namespaces[ns];
            const low = s.hits + s.misses > 0 && s.hitRate < 0.8;
            return (
              <tr key={ns}>
                <td className="mono small cell-main">{ns}</td>
                <td className="num" data-label={t('admin.cache.hits')}>
                  {fmt.number(s.hits)}
                </td>
                <td className="num" data-label={t('admin.cache.misses')}>
                  {fmt.number(s.misses)}
                </td>
                <td className="num hide-sm" data-label={t('admin.cache.stale')}>
                  {fmt.number(s.stale)}
                </td>
                <td className="share-cell cell-wide-2" data-label={t('admin.cache.rate')}>
                  <span className={`share-bar ${low ? 'share-low' : ''}`} aria-hidden="true">
                    <span style={{ width: `${s.hitRate * 100}%` }} />
                  </span>
                  <span className="small">{fmt.percent(s.hitRate)}</span>
                </td>
                {onPurge && (
                  <ActionCell
                    label={t('admin.cache.purge')}
                    ariaLabel={t('admin.cache.purgeNs', { ns })}
                    danger={false}
                    busy={purging === ns}
                    onClick={() => onPurge(ns)}
                  />
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

export function CacheTab() {
  const { t, fmt } = useI18n();
  const stats = useCacheStats();
  const qc = useQueryClient();
  const toast = useToast();
  const errorText = useErrorText();
  const purge = useMutation({
    mutationFn: (namespace: string | null) =>
      api<PurgeResponse>('/api/admin/cache/purge', {
        method: 'POST',
        body: namespace ? { namespace } : {},
      }),
    onSuccess: (r) => {
      toast(t('admin.cache.purged', { n: r.deleted }));
      qc.invalidateQueries({ queryKey: qk.admin });
    },
    onError: (e) => toast(errorText(e).headline, 'error'),
  });
  return (
    <Card
      title={`${t('admin.cache.title')}${stats.data ? ` · ${fmt.percent(stats.data.hitRate)}` : ''}`}
      className="card-flush"
      actions={
        <Button
          variant="danger"
          size="sm"
          busy={purge.isPending && purge.variables === null}
          onClick={() => purge.mutate(null)}
        >
          {t('admin.cache.purgeAll')}
        </Button>
      }
    >
      <p className="muted small pad-x">{t('admin.cache.body')}</p>
      {stats.error && !stats.data ? (
        <div className="pad">
          <ErrorMessage error={stats.error} onRetry={() => stats.refetch()} />
        </div>
      ) : stats.data ? (
        <HitRateTable
          stats={stats.data}
          onPurge={(ns) => purge.mutate(ns)}
          purging={purge.isPending ? (purge.variables ?? null) : null}
        />
      ) : (
        <div className="pad">
          <Skeleton height="200px" width="100%" />
        </div>
      )}
    </Card>
  );
}
