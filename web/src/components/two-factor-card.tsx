import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { MfaProofBody, RecoveryCodes, TotpSetup } from '../api/contract';
import { qk, useMfaStatus } from '../api/queries';
import { useI18n } from '../i18n';
import { CopyButton } from './copy-button';
import { Dialog } from './dialog';
import { ErrorMessage } from './error-message';
import { useToast } from './toast';
import { Button, Card, Skeleton, TextField } from './ui';

/**
 * Two-factor authentication in settings (docs/decisions/027): set-up with a QR code and the first code, the ten
 * recovery codes shown once, new codes, forgetting remembered browsers, turning it off with a current code.
 */
export function TwoFactorCard() {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const toast = useToast();
  const status = useMfaStatus();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [proof, setProof] = useState('');
  const refresh = () => {
    qc.invalidateQueries({ queryKey: qk.mfa });
    // Enrolling lifts the operator's requirement on this very session: every page may load again.
    qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== qk.me[0] && q.queryKey[0] !== qk.meta[0] });
  };

  const start = useMutation({
    mutationFn: () => api<TotpSetup>('/api/auth/mfa/totp/setup', { method: 'POST' }),
    onSuccess: (s) => {
      setSetup(s);
      setCode('');
    },
  });
  const confirm = useMutation({
    mutationFn: (c: string) => api<RecoveryCodes>('/api/auth/mfa/totp/confirm', { method: 'POST', body: { code: c } }),
    onSuccess: (r) => {
      setSetup(null);
      setCodes(r.recoveryCodes);
      refresh();
    },
  });
  const proofBody = (): MfaProofBody => ({ code: proof.trim() });
  const regenerate = useMutation({
    mutationFn: () => api<RecoveryCodes>('/api/auth/mfa/recovery-codes', { method: 'POST', body: proofBody() }),
    onSuccess: (r) => {
      setProof('');
      setCodes(r.recoveryCodes);
      refresh();
    },
  });
  const disable = useMutation({
    mutationFn: () => api<void>('/api/auth/mfa/totp/disable', { method: 'POST', body: proofBody() }),
    onSuccess: () => {
      setProof('');
      toast(t('mfa.disabled'));
      refresh();
    },
  });
  const forget = useMutation({
    mutationFn: () => api<void>('/api/auth/mfa/devices', { method: 'DELETE' }),
    onSuccess: () => {
      toast(t('mfa.devicesForgotten'));
      refresh();
    },
  });
  const proofError = [regenerate.error, disable.error].find((e) => e instanceof ApiError) as ApiError | undefined;
  const confirmError = confirm.error instanceof ApiError ? confirm.error : undefined;

  const submitCode = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate(code.replace(/\s/g, ''));
  };

  const s = status.data;
  return (
    <Card title={t('mfa.title')}>
      <p className="muted small">{t('mfa.body')}</p>
      {s?.required && !s.totp && (
        <div className="alert alert-warning" role="alert">
          {t('mfa.required')}
        </div>
      )}
      {status.error && <ErrorMessage error={status.error} onRetry={() => status.refetch()} compact />}
      {!s && !status.error && <Skeleton height="3rem" />}
      {s && !s.totp && !setup && (
        <Button variant="primary" busy={start.isPending} onClick={() => start.mutate()}>
          {t('mfa.enable')}
        </Button>
      )}
      {start.error && <ErrorMessage error={start.error} compact />}
      {setup && (
        <form className="form mfa-setup" onSubmit={submitCode} noValidate>
          <p>{t('mfa.scan')}</p>
          <img className="qr" src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.qrSvg)}`} alt={t('mfa.qrAlt')} />
          <div className="field">
            <label className="label" htmlFor="mfa-secret">
              {t('mfa.secret')}
            </label>
            <div className="secret-row">
              <input id="mfa-secret" className="input mono" readOnly value={setup.secret} />
              <CopyButton text={setup.secret} />
            </div>
          </div>
          <TextField
            label={t('mfa.confirmCode')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={confirmError?.field('code')}
          />
          {confirm.error && !confirmError?.details.length ? <ErrorMessage error={confirm.error} compact /> : null}
          <div>
            <Button type="submit" variant="primary" busy={confirm.isPending}>
              {t('mfa.confirm')}
            </Button>
          </div>
        </form>
      )}
      {s?.totp && (
        <div className="form">
          <p>
            <span className="badge badge-green">
              {t('mfa.on', { date: s.enrolledAt ? fmt.dateTime(s.enrolledAt) : '' })}
            </span>{' '}
            <span className="muted small">
              {t('mfa.codesLeft', { count: s.recoveryCodesLeft })} · {t('mfa.devices', { count: s.rememberedDevices })}
            </span>
          </p>
          <TextField
            label={t('auth.mfa.code')}
            hint={t('mfa.proofHint')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={proof}
            onChange={(e) => setProof(e.target.value)}
            error={proofError?.field('code')}
          />
          {proofError && !proofError.details.length ? <ErrorMessage error={proofError} compact /> : null}
          <div className="row-actions">
            <Button busy={regenerate.isPending} onClick={() => regenerate.mutate()}>
              {t('mfa.newCodes')}
            </Button>
            {s.rememberedDevices > 0 && (
              <Button variant="ghost" busy={forget.isPending} onClick={() => forget.mutate()}>
                {t('mfa.forgetDevices')}
              </Button>
            )}
            {!s.required && (
              <Button variant="ghost" className="text-danger" busy={disable.isPending} onClick={() => disable.mutate()}>
                {t('mfa.disable')}
              </Button>
            )}
          </div>
        </div>
      )}
      <RecoveryCodesDialog codes={codes} onClose={() => setCodes(null)} />
    </Card>
  );
}

function RecoveryCodesDialog({ codes, onClose }: { codes: string[] | null; onClose(): void }) {
  const { t } = useI18n();
  if (!codes) return null;
  return (
    <Dialog
      open
      dismissible={false}
      title={t('mfa.codesTitle')}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('mfa.codesDone')}
        </Button>
      }
    >
      <div className="alert alert-warning" role="note">
        <strong>{t('mfa.codesBody')}</strong>
      </div>
      <ul className="codes mono" aria-label={t('mfa.codesTitle')}>
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <CopyButton text={codes.join('\n')} variant="primary" />
    </Dialog>
  );
}
