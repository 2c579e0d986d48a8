import type { MetaResponse } from '../api/contract';
import { type MessageKey, useI18n } from '../i18n';

const REASONS = [
  'state',
  'rejected',
  'denied',
  'email',
  'unverified',
  'domain',
  'closed',
  'disabled',
  'conflict',
  'failed',
] as const;

/** The single sign-on button (a plain link: the start is a browser navigation to the provider). */
export function SsoButton({ sso, next }: { sso: NonNullable<MetaResponse['sso']>; next: string }) {
  const { t } = useI18n();
  const href = `/api/auth/oidc/start${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`;
  return (
    <a className="btn btn-primary btn-block sso-button" href={href}>
      {t('auth.sso.button', { name: sso.name })}
    </a>
  );
}

/** Why the provider's round trip ended without a session (`/login?sso_error=<reason>`), in the reader's language. */
export function SsoError({ reason }: { reason: string | null }) {
  const { t } = useI18n();
  if (!reason) return null;
  const known = (REASONS as readonly string[]).includes(reason) ? reason : 'failed';
  return (
    <div className="alert alert-error" role="alert">
      {t(`auth.sso.error.${known}` as MessageKey)}
    </div>
  );
}

/** A challenge handed over in the URL's fragment by the single sign-on's redirect (never sent to a server). */
export function challengeFromHash(): string | null {
  const m = window.location.hash.match(/^#mfa=([\w-]{43})$/);
  return m ? m[1] : null;
}
