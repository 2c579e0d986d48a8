import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { SsoCompleteBody, SsoCompleted, SsoPending } from '../api/contract';
import { useMeta } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Brand, LanguageSelect } from '../components/layout';
import { MfaStep } from '../components/mfa-step';
import { TextField } from '../components/ui';
import { useI18n } from '../i18n';
import { clearUserData, safeNext } from '../lib/auth';
import { Link, navigate, useLocation } from '../lib/router';

/**
 * After the provider: link the identity to the existing account of its address (its password, once), or sign up
 * with an invite code (docs/decisions/028). The step is held by the browser's cookie; the page only asks for it.
 */
export function SsoPendingPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const meta = useMeta().data;
  const pending = useQuery({
    queryKey: ['sso-pending'],
    queryFn: () => api<SsoPending>('/api/auth/oidc/pending', { expect401: true }),
    retry: false,
  });
  const [value, setValue] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const complete = useMutation({
    mutationFn: (body: SsoCompleteBody) =>
      api<SsoCompleted>('/api/auth/oidc/complete', { method: 'POST', body, expect401: true }),
    onSuccess: (r) => {
      if (r.mfa) return setChallenge(r.mfa.challenge);
      clearUserData(qc, r.user ?? null);
      navigate(safeNext(r.next), { replace: true });
    },
  });
  const err = complete.error instanceof ApiError ? complete.error : undefined;
  const kind = pending.data?.kind;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    complete.mutate(kind === 'link' ? { password: value } : { inviteCode: value.trim() });
  };

  return (
    <div className="auth-page">
      <div className="auth-top">
        <Brand />
        <LanguageSelect />
      </div>
      <main className="auth-card card" id="main">
        <h1>{t('sso.title')}</h1>
        {challenge ? (
          <MfaStep challenge={challenge} next={next} rememberDays={meta?.mfaRememberDays ?? 0} />
        ) : pending.error || err?.status === 401 ? (
          <div className="alert alert-error" role="alert">
            {t('sso.expired')} <Link to="/login">{t('auth.register.login')}</Link>
          </div>
        ) : !pending.data ? (
          <span className="spinner" aria-busy="true" />
        ) : (
          <form className="form" onSubmit={submit} noValidate>
            <p className="muted">
              {t(kind === 'link' ? 'sso.link.body' : 'sso.signup.body', { email: pending.data.email })}
            </p>
            {complete.error && !err?.details.length ? <ErrorMessage error={complete.error} compact /> : null}
            {kind === 'link' ? (
              <TextField
                label={t('auth.password')}
                type="password"
                autoComplete="current-password"
                value={value}
                onChange={(e) => setValue(e.target.value)}
                error={err?.field('password')}
                autoFocus
              />
            ) : (
              <TextField
                label={t('auth.inviteCode')}
                autoComplete="off"
                value={value}
                onChange={(e) => setValue(e.target.value)}
                error={err?.field('inviteCode')}
                autoFocus
              />
            )}
            <button type="submit" className="btn btn-primary btn-block" disabled={complete.isPending}>
              {t(kind === 'link' ? 'sso.link.submit' : 'sso.signup.submit')}
            </button>
          </form>
        )}
      </main>
    </div>
  );
}
