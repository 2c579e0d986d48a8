import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { AdminUser, User, UserPatch } from '../../api/contract';
import { qk, useAdminUsers } from '../../api/queries';
import { ErrorMessage, useErrorText } from '../../components/error-message';
import { Pagination, usePaging } from '../../components/pagination';
import { ScrollRegion } from '../../components/scroll-region';
import { TableHead } from '../../components/table-head';
import { useToast } from '../../components/toast';
import { Card, SkeletonRows } from '../../components/ui';
import { useI18n } from '../../i18n';
import { useDebounced } from '../../lib/debounce';
import { MfaPolicyCard } from './mfa-policy';

export function UsersTab({ me }: { me: User }) {
  const { t, fmt } = useI18n();
  const { page, pageSize, setPage, setPageSize } = usePaging(20);
  const [query, setQuery] = useState('');
  const [search, setSearchTerm] = useState('');
  useDebounced(query.trim(), (q) => {
    setSearchTerm(q);
    setPage(1);
  });
  const users = useAdminUsers(page, pageSize, search);
  const qc = useQueryClient();
  const toast = useToast();
  const errorText = useErrorText();
  const patch = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserPatch }) =>
      api<AdminUser>(`/api/admin/users/${id}`, { method: 'PATCH', body }),
    onSuccess: (u) => {
      toast(t('admin.users.saved', { email: u.email }));
      qc.invalidateQueries({ queryKey: qk.admin });
    },
    onError: (e) => {
      const x = errorText(e);
      toast(x.detail ?? x.headline, 'error');
      qc.invalidateQueries({ queryKey: qk.admin });
    },
  });
  const data = users.data;

  return (
    <div className="stack-gap">
      <MfaPolicyCard />
      <Card className="card-flush">
        <div className="pad toolbar toolbar-inner">
          <div className="search">
            <label htmlFor="user-search" className="visually-hidden">
              {t('admin.users.search')}
            </label>
            <input
              id="user-search"
              type="search"
              className="input"
              placeholder={t('admin.users.search')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          </div>
        </div>
        {users.error && !data ? (
          <div className="pad">
            <ErrorMessage error={users.error} onRetry={() => users.refetch()} />
          </div>
        ) : (
          <ScrollRegion label={t('admin.tab.users')}>
            <table className="table table-cards">
              <TableHead
                columns={[
                  t('common.email'),
                  t('admin.users.role'),
                  t('common.status'),
                  t('admin.users.maxKeys'),
                  { label: t('admin.users.keys'), className: 'num' },
                  t('common.created'),
                  t('admin.users.lastLogin'),
                ]}
              />
              <tbody>
                {!data && <SkeletonRows rows={4} cols={7} />}
                {data?.items.map((u) => {
                  const self = u.id === me.id;
                  return (
                    <tr key={u.id}>
                      <td className="cell-main">
                        <div className="strong">
                          {u.email} {self && <span className="badge badge-gray">{t('admin.users.you')}</span>}
                        </div>
                        <div className="muted small">{u.displayName}</div>
                      </td>
                      <td data-label={t('admin.users.role')}>
                        <select
                          className="input input-sm"
                          aria-label={t('admin.users.roleFor', { email: u.email })}
                          value={u.role}
                          disabled={self}
                          onChange={(e) => patch.mutate({ id: u.id, body: { role: e.target.value as User['role'] } })}
                        >
                          <option value="user">{t('role.user')}</option>
                          <option value="admin">{t('role.admin')}</option>
                        </select>
                      </td>
                      <td data-label={t('common.status')}>
                        <select
                          className="input input-sm"
                          aria-label={t('admin.users.statusFor', { email: u.email })}
                          value={u.status}
                          disabled={self}
                          onChange={(e) =>
                            patch.mutate({ id: u.id, body: { status: e.target.value as AdminUser['status'] } })
                          }
                        >
                          <option value="active">{t('status.active')}</option>
                          <option value="disabled">{t('status.disabled')}</option>
                        </select>
                      </td>
                      <td data-label={t('admin.users.maxKeys')}>
                        <QuotaInput user={u} onSave={(maxKeys) => patch.mutate({ id: u.id, body: { maxKeys } })} />
                      </td>
                      <td className="num" data-label={t('admin.users.keys')}>
                        {fmt.number(u.keys)}
                      </td>
                      <td className="nowrap" data-label={t('common.created')}>
                        {fmt.date(u.createdAt)}
                      </td>
                      <td className="nowrap" data-label={t('admin.users.lastLogin')}>
                        {u.lastLoginAt ? (
                          fmt.relative(u.lastLoginAt)
                        ) : (
                          <span className="muted">{t('common.never')}</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
                {data && data.items.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted center">
                      {t('admin.users.empty')}
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
            onPageSize={setPageSize}
          />
        )}
      </Card>
    </div>
  );
}

/**
 * Saves on Enter or when focus leaves; empty means "back to the portal's default". A new value from the server
 * replaces what is in the field (adjusted while rendering, not remounted, so the focus stays after Enter).
 */
function QuotaInput({ user, onSave }: { user: AdminUser; onSave(v: number | null): void }) {
  const { t } = useI18n();
  const initial = user.maxKeysDefault ? '' : String(user.maxKeys);
  const [v, setV] = useState(initial);
  const [seen, setSeen] = useState(initial);
  if (initial !== seen) {
    setSeen(initial);
    setV(initial);
  }
  const commit = () => {
    if (v === initial) return;
    onSave(v.trim() === '' ? null : Number(v));
  };
  return (
    <input
      className="input input-sm quota"
      type="number"
      min={0}
      max={10000}
      inputMode="numeric"
      aria-label={t('admin.users.quotaFor', { email: user.email })}
      placeholder={`${user.maxKeys} (${t('admin.users.default')})`}
      value={v}
      onChange={(e) => setV(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}
