import type { DeliveryLogEntry } from '../api/contract';
import { useDeliveryLog } from '../api/notification-queries';
import { type MessageKey, useI18n } from '../i18n';
import { ErrorMessage } from './error-message';
import { Pagination, usePaging } from './pagination';
import { ScrollRegion } from './scroll-region';
import { Card, EmptyState, SkeletonRows } from './ui';

const STATE_BADGE: Record<DeliveryLogEntry['state'], string> = {
  pending: 'badge-amber',
  sending: 'badge-blue',
  delivered: 'badge-green',
  failed: 'badge-red',
  held: 'badge-gray',
  digested: 'badge-green',
  cancelled: 'badge-gray',
};

/** The delivery log, newest first: one's own, or (admin) everyone's with the recipient. */
export function DeliveryLogCard({ admin = false }: { admin?: boolean }) {
  const { t, fmt } = useI18n();
  const { page, pageSize, setPage, setPageSize } = usePaging(10);
  const log = useDeliveryLog(page, pageSize, admin);
  const cols = admin ? 5 : 4;
  return (
    <Card title={t(admin ? 'notify.adminLog' : 'notify.log')} className="card-flush">
      {!admin && <p className="muted small pad-x">{t('notify.logBody')}</p>}
      {log.error ? (
        <div className="pad">
          <ErrorMessage error={log.error} onRetry={() => log.refetch()} compact />
        </div>
      ) : log.data && log.data.total === 0 ? (
        <EmptyState title={t('notify.logEmpty')} />
      ) : (
        <ScrollRegion label={t(admin ? 'notify.adminLog' : 'notify.log')}>
          <table className="table table-cards">
            <thead>
              <tr>
                <th>{t('notify.col.time')}</th>
                <th>{t('notify.col.event')}</th>
                {admin && <th>{t('notify.col.recipient')}</th>}
                <th>{t('notify.col.channel')}</th>
                <th>{t('notify.col.state')}</th>
              </tr>
            </thead>
            <tbody>
              {!log.data ? (
                <SkeletonRows cols={cols} rows={3} />
              ) : (
                log.data.items.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap cell-wide" data-label={t('notify.col.time')}>
                      {fmt.dateTime(e.createdAt)}
                    </td>
                    <td className="cell-main">
                      <span className="log-subject">{e.subject}</span>
                      <span className="muted small mono"> {e.type}</span>
                    </td>
                    {admin && (
                      <td className="cell-wide" data-label={t('notify.col.recipient')}>
                        <span className="truncate" title={e.recipient}>
                          {e.recipient}
                        </span>
                      </td>
                    )}
                    <td className="nowrap" data-label={t('notify.col.channel')}>
                      {t(`notify.type.${e.channel.type}` as MessageKey)}
                      {e.channel.label ? <span className="muted small"> · {e.channel.label}</span> : null}
                    </td>
                    <td className="cell-wide-2" data-label={t('notify.col.state')}>
                      <span className={`badge ${STATE_BADGE[e.state]}`}>
                        {t(`notify.state.${e.state}` as MessageKey)}
                      </span>
                      {e.attempts > 1 && <div className="muted small">{t('notify.attempts', { n: e.attempts })}</div>}
                      {e.lastError && <div className="muted small log-error">{e.lastError}</div>}
                      {e.nextAttemptAt && e.state !== 'sending' && (
                        <div className="muted small">
                          {t('notify.retryAt', { time: fmt.dateTime(e.nextAttemptAt) })}
                        </div>
                      )}
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {log.data && log.data.total > 10 && (
        <Pagination page={page} pageSize={pageSize} total={log.data.total} onPage={setPage} onPageSize={setPageSize} />
      )}
    </Card>
  );
}
