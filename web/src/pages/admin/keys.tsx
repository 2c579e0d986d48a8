import { useState } from 'react';
import type { AdminKey, OperatorHold } from '../../api/contract';
import { useHeldKeys, useReleaseKey } from '../../api/queries';
import { ErrorMessage, useErrorText } from '../../components/error-message';
import { Pagination } from '../../components/pagination';
import { ScrollRegion } from '../../components/scroll-region';
import { TableHead } from '../../components/table-head';
import { useToast } from '../../components/toast';
import { Button, Card, SkeletonRows, StatusBadge } from '../../components/ui';
import { useI18n } from '../../i18n';
import { limitLabel, MONEY_LIMITS } from '../../lib/key-limits';

/** "Keys held by the operator": what the operator disabled or limited in CRS, and its release (decision 011). */
export function KeysTab() {
  const { t, fmt } = useI18n();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const keys = useHeldKeys(page, pageSize);
  const release = useReleaseKey();
  const toast = useToast();
  const errorText = useErrorText();
  const data = keys.data;

  const held = (h: OperatorHold) => {
    const parts: string[] = [];
    if (h.disabled) parts.push(t('admin.keys.disabled'));
    for (const [name, v] of Object.entries(h.limits) as [keyof typeof h.limits, number][]) {
      parts.push(`${t(limitLabel(name))}: ${MONEY_LIMITS.has(name) ? fmt.money(v) : fmt.number(v)}`);
    }
    if (h.models.length) parts.push(t('admin.keys.models', { models: h.models.join(', ') }));
    return parts;
  };
  const onRelease = (k: AdminKey) =>
    release.mutate(
      { id: k.id },
      {
        onSuccess: () => toast(t('admin.keys.released', { name: k.name })),
        onError: (e) => toast(errorText(e).detail ?? errorText(e).headline, 'error'),
      },
    );

  return (
    <Card className="card-flush">
      <p className="pad muted small">{t('admin.keys.body')}</p>
      {keys.error && !data ? (
        <div className="pad">
          <ErrorMessage error={keys.error} onRetry={() => keys.refetch()} />
        </div>
      ) : (
        <ScrollRegion label={t('admin.tab.keys')}>
          <table className="table table-cards">
            <TableHead
              columns={[
                t('common.name'),
                t('admin.keys.owner'),
                t('common.status'),
                t('admin.keys.held'),
                t('admin.keys.since'),
              ]}
              actions
            />
            <tbody>
              {!data && <SkeletonRows rows={3} cols={6} />}
              {data?.items.map((k) => (
                <tr key={k.id}>
                  <td className="strong cell-main">{k.name}</td>
                  <td className="cell-wide" data-label={t('admin.keys.owner')}>
                    {k.owner.email}
                  </td>
                  <td data-label={t('common.status')}>
                    <StatusBadge status={k.status} />
                  </td>
                  <td className="small" data-label={t('admin.keys.held')}>
                    {k.operator && held(k.operator).map((p) => <div key={p}>{p}</div>)}
                  </td>
                  <td
                    className="nowrap"
                    data-label={t('admin.keys.since')}
                    title={k.operator ? fmt.dateTime(k.operator.since) : undefined}
                  >
                    {k.operator ? fmt.relative(k.operator.since) : '—'}
                  </td>
                  <td className="actions-col">
                    <Button
                      size="sm"
                      aria-label={t('admin.keys.releaseFor', { name: k.name })}
                      busy={release.isPending && release.variables?.id === k.id}
                      onClick={() => onRelease(k)}
                    >
                      {t('admin.keys.release')}
                    </Button>
                  </td>
                </tr>
              ))}
              {data && data.items.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted center">
                    {t('admin.keys.empty')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {data && data.total > 0 && (
        <Pagination
          page={data.page}
          pageSize={data.pageSize}
          total={data.total}
          onPage={setPage}
          onPageSize={(n) => {
            setPageSize(n);
            setPage(1);
          }}
        />
      )}
    </Card>
  );
}
