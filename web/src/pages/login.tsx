import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { useMeta } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { MfaStep } from '../components/mfa-step';
import { challengeFromHash, SsoButton, SsoError } from '../components/sso-sign-in';
import { TextField } from '../components/ui';
import { useI18n } from '../i18n';
import { safeNext, useLogin } from '../lib/auth';
import { Link, navigate, useLocation } from '../lib/router';
import { AuthFrame, withNext } from './auth';

/**
 * Sign-in: the provider's button when single sign-on is configured (the password form behind "Administrator
 * sign-in" in SSO-only mode), the password form, then the second factor when the account has one.
 */
export function LoginPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const meta = useMeta().data;
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // The second factor's challenge: from the password step's 202, or from the single sign-on's redirect.
  const [challenge, setChallenge] = useState<string | null>(challengeFromHash);
  const err = login.error instanceof ApiError ? login.error : undefined;
  const sso = meta?.sso;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email, password },
      { onSuccess: (r) => ('mfa' in r ? setChallenge(r.mfa.challenge) : navigate(next, { replace: true })) },
    );
  };

  const passwordForm = (
    <form onSubmit={submit} className="form" noValidate>
      <TextField
        label={t('auth.email')}
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={err?.field('email')}
        data-autofocus
        autoFocus={!sso}
      />
      <TextField
        label={t('auth.password')}
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={err?.field('password')}
      />
      <button
        type="submit"
        className={`btn btn-block ${sso ? 'btn-secondary' : 'btn-primary'}`}
        disabled={login.isPending}
      >
        {login.isPending ? t('auth.login.pending') : t('auth.login.submit')}
      </button>
    </form>
  );

  return (
    <AuthFrame
      title={t('auth.login.title')}
      subtitle={sso?.only ? t('auth.sso.only', { name: sso.name }) : t('auth.login.subtitle')}
      footer={
        sso?.only ? null : (
          <>
            {t('auth.login.noAccount')} <Link to={withNext('/register', next)}>{t('auth.login.register')}</Link>
          </>
        )
      }
    >
      {challenge ? (
        <MfaStep challenge={challenge} next={next} rememberDays={meta?.mfaRememberDays ?? 0} />
      ) : (
        <>
          {search.get('expired') && !login.error && (
            <div className="alert alert-info" role="status">
              {t('auth.sessionExpired')}
            </div>
          )}
          <SsoError reason={search.get('sso_error')} />
          {login.error && !err?.details.length ? <ErrorMessage error={login.error} compact /> : null}
          {sso && <SsoButton sso={sso} next={next} />}
          {sso?.only ? (
            <details className="admin-password">
              <summary>{t('auth.sso.adminPassword')}</summary>
              {passwordForm}
            </details>
          ) : (
            <>
              {sso && <p className="sso-divider">{t('auth.sso.or')}</p>}
              {passwordForm}
            </>
          )}
        </>
      )}
    </AuthFrame>
  );
}
