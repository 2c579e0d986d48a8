import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { PasswordBody, User } from '../api/contract';
import { qk, useSessions } from '../api/queries';
import { ActionCell } from '../components/action-cell';
import { ErrorMessage } from '../components/error-message';
import { LanguageSelect } from '../components/layout';
import { Pagination, usePaging } from '../components/pagination';
import { ScrollRegion } from '../components/scroll-region';
import { TableHead } from '../components/table-head';
import { useToast } from '../components/toast';
import { TokensCard } from '../components/tokens-card';
import { TwoFactorCard } from '../components/two-factor-card';
import { Button, Card, PageHeader, SkeletonRows, TextField } from '../components/ui';
import { type MessageKey, useI18n } from '../i18n';
import { signedOut } from '../lib/auth';
import { NotificationsSection } from './settings-notifications';

export function SettingsPage({ user }: { user: User }) {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('settings.title')} />
      <div className="grid-2 gap">
        <Card title={t('settings.account')}>
          <dl className="kv">
            <div>
              <dt>{t('common.email')}</dt>
              <dd>{user.email}</dd>
            </div>
            <div>
              <dt>{t('auth.displayName')}</dt>
              <dd>{user.displayName}</dd>
            </div>
            <div>
              <dt>{t('settings.role')}</dt>
              <dd>{t(`role.${user.role}`)}</dd>
            </div>
          </dl>
          <div className="field">
            <label htmlFor="settings-lang">{t('settings.language')}</label>
            <LanguageSelect id="settings-lang" />
            <p className="field-hint">{t('settings.languageBody')}</p>
          </div>
        </Card>
        <PasswordCard />
      </div>
      <div className="grid-2 gap">
        <TwoFactorCard />
      </div>
      <TokensCard />
      <SessionsCard />
      <NotificationsSection />
    </>
  );
}

function PasswordCard() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [f, setF] = useState({ currentPassword: '', newPassword: '', confirm: '' });
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const change = useMutation({
    mutationFn: (body: PasswordBody) => api<void>('/api/auth/password', { method: 'POST', body }),
    onSuccess: () => {
      setDone(true);
      setF({ currentPassword: '', newPassword: '', confirm: '' });
      qc.invalidateQueries({ queryKey: qk.sessions });
    },
  });
  const err = change.error instanceof ApiError ? change.error : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (f.newPassword !== f.confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate({ currentPassword: f.currentPassword, newPassword: f.newPassword });
  };
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  return (
    <Card title={t('settings.password')}>
      <form className="form" onSubmit={submit} noValidate>
        {done && (
          <div className="alert alert-success" role="status">
            {t('settings.changed')}
          </div>
        )}
        {change.error && !err?.details.length ? <ErrorMessage error={change.error} compact /> : null}
        <input type="text" autoComplete="username" hidden readOnly />
        <TextField
          label={t('settings.current')}
          type="password"
          autoComplete="current-password"
          value={f.currentPassword}
          onChange={set('currentPassword')}
          error={err?.field('currentPassword')}
        />
        <TextField
          label={t('settings.new')}
          type="password"
          autoComplete="new-password"
          hint={t('auth.passwordHint')}
          value={f.newPassword}
          onChange={set('newPassword')}
          error={err?.field('newPassword')}
        />
        <TextField
          label={t('settings.confirm')}
          type="password"
          autoComplete="new-password"
          value={f.confirm}
          onChange={set('confirm')}
          error={mismatch ? t('settings.mismatch') : undefined}
        />
        <div>
          <Button type="submit" variant="primary" busy={change.isPending}>
            {t('settings.change')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function SessionsCard() {
  const { t, fmt } = useI18n();
  const toast = useToast();
  const qc = useQueryClient();
  const { page, pageSize, setPage, setPageSize } = usePaging(10);
  const sessions = useSessions(page, pageSize);
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/api/auth/sessions/${id}`, { method: 'DELETE' }),
    onSuccess: (_r, id) => {
      const current = sessions.data?.items.find((s) => s.id === id)?.current;
      if (current) {
        // Revoking this browser's own session is a logout.
        signedOut(qc);
        return;
      }
      toast(t('settings.revoked'));
      // The last row of a later page gone: show the page before it.
      if (sessions.data && sessions.data.items.length === 1 && page > 1) setPage(page - 1);
      qc.invalidateQueries({ queryKey: qk.sessions });
    },
  });
  return (
    <Card title={t('settings.sessions')} className="card-flush">
      <p className="muted small pad-x">{t('settings.sessionsBody')}</p>
      {sessions.error ? (
        <div className="pad">
          <ErrorMessage error={sessions.error} onRetry={() => sessions.refetch()} compact />
        </div>
      ) : (
        <>
          <ScrollRegion label={t('settings.sessions')}>
            <table className="table table-cards">
              <TableHead
                columns={[
                  t('settings.device'),
                  t('settings.method'),
                  t('settings.ip'),
                  t('common.created'),
                  t('settings.lastSeen'),
                ]}
                actions
              />
              <tbody>
                {!sessions.data && <SkeletonRows rows={2} cols={6} />}
                {sessions.data?.items.map((s) => (
                  <tr key={s.id}>
                    <td className="cell-main">
                      <span className="truncate ua" title={s.userAgent ?? undefined}>
                        {describeAgent(s.userAgent) ?? t('settings.unknownDevice')}
                      </span>
                      {s.current && <span className="badge badge-green">{t('settings.thisDevice')}</span>}
                    </td>
                    <td className="small" data-label={t('settings.method')}>
                      {describeMethod(s.method, t)}
                    </td>
                    <td className="mono small" data-label={t('settings.ip')}>
                      {s.ip ?? '—'}
                    </td>
                    <td className="nowrap" data-label={t('common.created')}>
                      {fmt.dateTime(s.createdAt)}
                    </td>
                    <td className="nowrap" data-label={t('settings.lastSeen')} title={fmt.dateTime(s.lastSeenAt)}>
                      {fmt.relative(s.lastSeenAt)}
                    </td>
                    <ActionCell
                      label={t('settings.revoke')}
                      busy={revoke.isPending && revoke.variables === s.id}
                      onClick={() => revoke.mutate(s.id)}
                    />
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          {sessions.data && sessions.data.total > PAGE_SIZE_MIN && (
            <Pagination
              page={page}
              pageSize={pageSize}
              total={sessions.data.total}
              onPage={setPage}
              onPageSize={setPageSize}
            />
          )}
        </>
      )}
    </Card>
  );
}

/** "Password + authenticator code" from a session's `password+totp`. */
function describeMethod(method: string, t: ReturnType<typeof useI18n>['t']): string {
  const [first, second] = method.split('+');
  const words: Record<string, MessageKey> = {
    password: 'method.password',
    sso: 'method.sso',
    totp: 'method.totp',
    recovery: 'method.recovery',
    device: 'method.device',
  };
  const a = words[first] ? t(words[first]) : first;
  return second ? `${a} + ${words[second] ? t(words[second]) : second}` : a;
}

/** Fewer sessions than the smallest page size need no pager. */
const PAGE_SIZE_MIN = 10;

/** "Chrome on Linux" from a user-agent string; the raw string stays in the title. */
export function describeAgent(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /curl\//.test(ua)
            ? 'curl'
            : null;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /iPhone|iPad/.test(ua)
          ? 'iOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : null;
  if (browser && os) return `${browser} · ${os}`;
  return browser ?? os ?? ua.slice(0, 60);
}
