import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';
import { useVerifyMfa } from '../lib/auth';
import { navigate } from '../lib/router';
import { ErrorMessage } from './error-message';
import { TextField } from './ui';

/** The sign-in's second step (docs/decisions/027): a code from the app, or one of the recovery codes. */
export function MfaStep({ challenge, next, rememberDays }: { challenge: string; next: string; rememberDays: number }) {
  const { t } = useI18n();
  const verify = useVerifyMfa();
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [remember, setRemember] = useState(false);
  const err = verify.error instanceof ApiError ? verify.error : undefined;
  const expired = err?.status === 401;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = code.trim();
    verify.mutate(
      {
        challenge,
        ...(recovery ? { recoveryCode: value } : { code: value.replace(/\s/g, '') }),
        ...(remember ? { remember: true } : {}),
      },
      { onSuccess: () => navigate(next, { replace: true }) },
    );
  };

  return (
    <form onSubmit={submit} className="form" noValidate aria-labelledby="mfa-title">
      <h2 id="mfa-title" className="h3">
        {t('auth.mfa.title')}
      </h2>
      <p className="muted">{t('auth.mfa.body')}</p>
      {expired ? (
        <div className="alert alert-error" role="alert">
          {t('auth.mfa.expired')}
        </div>
      ) : verify.error && !err?.details.length ? (
        <ErrorMessage error={verify.error} compact />
      ) : null}
      {recovery ? (
        <TextField
          key="recovery"
          label={t('auth.mfa.recovery')}
          hint={t('auth.mfa.recoveryHint')}
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={err?.field('recoveryCode')}
          autoFocus
        />
      ) : (
        <TextField
          key="code"
          label={t('auth.mfa.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={err?.field('code')}
          autoFocus
        />
      )}
      {rememberDays > 0 && (
        <label className="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />{' '}
          {t('auth.mfa.remember', { days: rememberDays })}
        </label>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={verify.isPending || expired}>
        {t('auth.mfa.submit')}
      </button>
      <button
        type="button"
        className="link-btn"
        onClick={() => {
          setRecovery(!recovery);
          setCode('');
          verify.reset();
        }}
      >
        {recovery ? t('auth.mfa.useCode') : t('auth.mfa.useRecovery')}
      </button>
    </form>
  );
}
