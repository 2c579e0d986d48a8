import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError } from '../api/client';
import { useMeta } from '../api/queries';
import { ErrorMessage } from '../components/error-message';
import { Brand, DemoBadge, LanguageSelect } from '../components/layout';
import { TextField } from '../components/ui';
import { useI18n } from '../i18n';
import { safeNext, useRegister } from '../lib/auth';
import { Link, navigate, useLocation } from '../lib/router';
import { ThemeSelect } from '../lib/theme';

export function AuthFrame({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <div className="auth-page">
      <div className="auth-top">
        <Brand />
        <DemoBadge />
        <div className="auth-prefs">
          <ThemeSelect />
          <LanguageSelect />
        </div>
      </div>
      <main className="auth-card card" id="main">
        <h1>{title}</h1>
        <p className="muted">{subtitle}</p>
        {children}
        <p className="auth-foot">{footer}</p>
      </main>
    </div>
  );
}

/** Keeps ?next= across the switch between the two forms. */
export function withNext(path: string, next: string): string {
  return next === '/' ? path : `${path}?next=${encodeURIComponent(next)}`;
}

export function RegisterPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const next = safeNext(search.get('next'));
  const register = useRegister();
  const meta = useMeta().data;
  const policy = meta?.registration;
  // No admin yet: the token printed at the portal's start makes this account the admin, whatever the policy.
  const setup =
    Boolean(meta?.setupRequired) || Boolean(register.error instanceof ApiError && register.error.field('setupToken'));
  const [form, setForm] = useState({ email: '', password: '', displayName: '', inviteCode: '', setupToken: '' });
  const [showInvite, setShowInvite] = useState(Boolean(search.get('invite')));
  const err = register.error instanceof ApiError ? register.error : undefined;
  // The API says when the policy needs a code (400 naming inviteCode) or refuses outright (403): show why.
  // /api/meta tells the policy up front; the API's answers still decide if meta is unavailable.
  const inviteNeeded = !setup && (showInvite || policy === 'invite' || Boolean(err?.field('inviteCode')));
  const closed = !setup && (err?.status === 403 || policy === 'closed');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate(
      {
        email: form.email,
        password: form.password,
        displayName: form.displayName.trim() || undefined,
        inviteCode: inviteNeeded && form.inviteCode.trim() ? form.inviteCode.trim() : undefined,
        setupToken: setup && form.setupToken.trim() ? form.setupToken.trim() : undefined,
      },
      { onSuccess: () => navigate(next, { replace: true }) },
    );
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  return (
    <AuthFrame
      title={t('auth.register.title')}
      subtitle={t('auth.register.subtitle')}
      footer={
        <>
          {t('auth.register.haveAccount')} <Link to={withNext('/login', next)}>{t('auth.register.login')}</Link>
        </>
      }
    >
      {closed && (
        <div className="alert alert-error" role="alert">
          {t('auth.closed')}
        </div>
      )}
      {setup && (
        <div className="alert alert-info" role="status">
          {t('auth.setupRequired')}
        </div>
      )}
      {register.error && !closed && !err?.details.length ? <ErrorMessage error={register.error} compact /> : null}
      <form onSubmit={submit} className="form" noValidate>
        <TextField
          label={t('auth.email')}
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
          error={err?.field('email')}
          autoFocus
        />
        <TextField
          label={t('auth.password')}
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t('auth.passwordHint')}
          value={form.password}
          onChange={set('password')}
          error={err?.field('password')}
        />
        <TextField
          label={`${t('auth.displayName')} (${t('common.optional')})`}
          autoComplete="nickname"
          hint={t('auth.displayNameHint')}
          value={form.displayName}
          onChange={set('displayName')}
          error={err?.field('displayName')}
        />
        {setup && (
          <TextField
            label={t('auth.setupToken')}
            hint={t('auth.setupTokenHint')}
            value={form.setupToken}
            onChange={set('setupToken')}
            error={err?.field('setupToken')}
            autoComplete="off"
            spellCheck={false}
          />
        )}
        {setup ? null : inviteNeeded ? (
          <>
            {(err?.field('inviteCode') || policy === 'invite') && !form.inviteCode && (
              <p className="alert alert-info">{t('auth.inviteRequired')}</p>
            )}
            <TextField
              label={t('auth.inviteCode')}
              hint={t('auth.inviteHint')}
              value={form.inviteCode}
              onChange={set('inviteCode')}
              error={err?.field('inviteCode')}
              autoComplete="off"
            />
          </>
        ) : (
          <button type="button" className="link-btn" onClick={() => setShowInvite(true)}>
            {t('auth.inviteToggle')}
          </button>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={register.isPending}>
          {register.isPending ? t('auth.register.pending') : t('auth.register.submit')}
        </button>
      </form>
    </AuthFrame>
  );
}
