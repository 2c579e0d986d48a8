import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import type { InviteStatus, InvitesBody, InvitesCreated } from '../../api/contract';
import { qk, useInvites } from '../../api/queries';
import { ActionCell } from '../../components/action-cell';
import { CopyButton } from '../../components/copy-button';
import { ErrorMessage, useErrorText } from '../../components/error-message';
import { Pagination, usePaging } from '../../components/pagination';
import { ScrollRegion } from '../../components/scroll-region';
import { TableHead } from '../../components/table-head';
import { useToast } from '../../components/toast';
import { Button, Card, SkeletonRows, TextField } from '../../components/ui';
import { useI18n } from '../../i18n';

const STATUS_BADGE: Record<InviteStatus, string> = {
  active: 'badge-green',
  used: 'badge-blue',
  expired: 'badge-gray',
  revoked: 'badge-red',
};

/** Invite codes: create (with an expiry), list with their status, revoke unused ones. */
export function InvitesTab() {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const [count, setCount] = useState('5');
  const [ttlDays, setTtlDays] = useState('');
  const create = useMutation({
    mutationFn: (body: InvitesBody) => api<InvitesCreated>('/api/admin/invites', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...qk.admin, 'invites'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const days = Number(ttlDays);
    create.mutate({
      count: Math.min(100, Math.max(1, Number(count) || 1)),
      ttlDays: days >= 1 ? Math.min(365, Math.round(days)) : undefined,
    });
  };
  const created = create.data;
  return (
    <>
      <div className="grid-2 gap">
        <Card title={t('admin.tab.invites')}>
          <p className="muted">{t('admin.invites.body')}</p>
          <form className="form inline-form" onSubmit={submit}>
            <TextField
              label={t('admin.invites.count')}
              type="number"
              min={1}
              max={100}
              value={count}
              onChange={(e) => setCount(e.target.value)}
            />
            <TextField
              label={t('admin.invites.ttl')}
              type="number"
              min={1}
              max={365}
              placeholder="7"
              value={ttlDays}
              onChange={(e) => setTtlDays(e.target.value)}
            />
            <Button type="submit" variant="primary" busy={create.isPending}>
              {t('admin.invites.create')}
            </Button>
          </form>
          {create.error ? <ErrorMessage error={create.error} compact /> : null}
        </Card>
        {created && (
          <Card
            title={t('admin.invites.created')}
            actions={<CopyButton text={created.codes.join('\n')} label={t('admin.invites.copyAll')} />}
          >
            <p className="muted small">{t('admin.invites.once', { date: fmt.dateTime(created.expiresAt) })}</p>
            <ul className="codes" data-testid="invite-codes">
              {created.codes.map((c) => (
                <li key={c}>
                  <code className="mono">{c}</code>
                </li>
              ))}
            </ul>
          </Card>
        )}
      </div>
      <InviteList />
    </>
  );
}

function InviteList() {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const toast = useToast();
  const errorText = useErrorText();
  const { page, pageSize, setPage, setPageSize } = usePaging(20);
  const [status, setStatus] = useState<InviteStatus | ''>('');
  const invites = useInvites(page, pageSize, status || undefined);
  const revoke = useMutation({
    mutationFn: (code: string) => api<void>(`/api/admin/invites/${encodeURIComponent(code)}`, { method: 'DELETE' }),
    onSuccess: (_r, code) => {
      toast(t('admin.invites.revoked', { code }));
      qc.invalidateQueries({ queryKey: [...qk.admin, 'invites'] });
    },
    onError: (e) => {
      const x = errorText(e);
      toast(x.detail ?? x.headline, 'error');
    },
  });
  const data = invites.data;
  return (
    <Card
      title={t('admin.invites.list')}
      className="card-flush"
      actions={
        <label className="small muted inline-label">
          {t('admin.invites.filter')}
          <select
            className="input input-sm"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as InviteStatus | '');
              setPage(1);
            }}
          >
            <option value="">{t('admin.invites.all')}</option>
            {(['active', 'used', 'expired', 'revoked'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`invite.${s}`)}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {invites.error && !data ? (
        <div className="pad">
          <ErrorMessage error={invites.error} onRetry={() => invites.refetch()} />
        </div>
      ) : (
        <ScrollRegion label={t('admin.invites.list')}>
          <table className="table table-cards" data-testid="invite-list">
            <TableHead
              columns={[
                t('admin.invites.code'),
                t('common.status'),
                t('admin.invites.expires'),
                t('admin.invites.usedBy'),
                t('admin.invites.createdBy'),
              ]}
              actions
            />
            <tbody>
              {!data && <SkeletonRows rows={3} cols={6} />}
              {data?.items.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    {t('admin.invites.empty')}
                  </td>
                </tr>
              )}
              {data?.items.map((i) => (
                <tr key={i.code}>
                  <td className="cell-main">
                    <code className="mono">{i.code}</code>
                  </td>
                  <td data-label={t('common.status')}>
                    <span className={`badge ${STATUS_BADGE[i.status]}`}>{t(`invite.${i.status}`)}</span>
                  </td>
                  <td className="nowrap cell-wide-2" data-label={t('admin.invites.expires')}>
                    {fmt.dateTime(i.expiresAt)}
                  </td>
                  <td className="truncate" data-label={t('admin.invites.usedBy')}>
                    {i.usedBy ?? '—'}
                  </td>
                  <td className="truncate cell-wide-2" data-label={t('admin.invites.createdBy')}>
                    {i.createdBy ?? '—'}
                  </td>
                  <ActionCell
                    label={t('admin.invites.revoke')}
                    busy={revoke.isPending && revoke.variables === i.code}
                    onClick={i.status === 'active' ? () => revoke.mutate(i.code) : undefined}
                  />
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {data && data.total > 0 && (
        <Pagination page={page} pageSize={pageSize} total={data.total} onPage={setPage} onPageSize={setPageSize} />
      )}
    </Card>
  );
}
