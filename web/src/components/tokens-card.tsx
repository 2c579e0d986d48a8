import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { CreatedToken, CreateTokenBody } from '../api/contract';
import { qk, useTokens } from '../api/queries';
import { useI18n } from '../i18n';
import { ActionCell } from './action-cell';
import { CopyButton } from './copy-button';
import { Dialog } from './dialog';
import { ErrorMessage } from './error-message';
import { ScrollRegion } from './scroll-region';
import { TableHead } from './table-head';
import { useToast } from './toast';
import { Button, Card, SelectField, SkeletonRows, TextField } from './ui';

type Scope = 'read' | 'keys';
const EXPIRY = ['30', '90', '365', 'never'] as const;

/** Personal access tokens (docs/decisions/026): create one (shown once, with a copy button), see last use, revoke. */
export function TokensCard() {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const toast = useToast();
  const tokens = useTokens();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [expiry, setExpiry] = useState<(typeof EXPIRY)[number]>('90');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const create = useMutation({
    mutationFn: (body: CreateTokenBody) => api<CreatedToken>('/api/tokens', { method: 'POST', body }),
    onSuccess: (c) => {
      setCreated(c);
      setName('');
      qc.invalidateQueries({ queryKey: qk.tokens });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/api/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast(t('tokens.revoked'));
      qc.invalidateQueries({ queryKey: qk.tokens });
    },
  });
  const err = create.error instanceof ApiError ? create.error : undefined;
  const toggle = (s: Scope) => setScopes((v) => (v.includes(s) ? v.filter((x) => x !== s) : [...v, s]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const expiresAt = expiry === 'never' ? null : new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
    create.mutate({ name: name.trim(), scopes, expiresAt });
  };

  return (
    <Card title={t('tokens.title')} className="card-flush">
      <div className="pad">
        <p className="muted small">{t('tokens.body')}</p>
        <form className="form token-form" onSubmit={submit} noValidate>
          <TextField
            label={t('tokens.name')}
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
            error={err?.field('name')}
          />
          <fieldset className="field">
            <legend className="label">{t('tokens.scopes')}</legend>
            {(['read', 'keys'] as const).map((s) => (
              <label key={s} className="check">
                <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} />{' '}
                {t(`tokens.scope.${s}`)}
              </label>
            ))}
            {(err?.field('scopes') || scopes.length === 0) && (
              <p className="field-error" role="alert">
                {t('tokens.scopeRequired')}
              </p>
            )}
          </fieldset>
          <SelectField
            label={t('tokens.expires')}
            value={expiry}
            onChange={(e) => setExpiry(e.target.value as typeof expiry)}
            options={EXPIRY.map((v) => ({ value: v, label: t(`tokens.expires.${v}`) }))}
          />
          {create.error && !err?.details.length ? <ErrorMessage error={create.error} compact /> : null}
          <div>
            <Button type="submit" variant="primary" busy={create.isPending} disabled={!name.trim() || !scopes.length}>
              {t('tokens.create')}
            </Button>
          </div>
        </form>
      </div>
      {tokens.error ? (
        <div className="pad">
          <ErrorMessage error={tokens.error} onRetry={() => tokens.refetch()} compact />
        </div>
      ) : (
        <ScrollRegion label={t('tokens.title')}>
          <table className="table table-cards">
            <TableHead
              columns={[
                t('common.name'),
                t('tokens.prefix'),
                t('tokens.scopes'),
                t('tokens.lastUsed'),
                t('tokens.expires'),
              ]}
              actions
            />
            <tbody>
              {!tokens.data && <SkeletonRows rows={2} cols={6} />}
              {tokens.data?.items.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    {t('tokens.empty')}
                  </td>
                </tr>
              )}
              {tokens.data?.items.map((k) => (
                <tr key={k.id}>
                  <td className="cell-main strong">{k.name}</td>
                  <td className="mono small" data-label={t('tokens.prefix')}>
                    {k.prefix}…
                  </td>
                  <td data-label={t('tokens.scopes')}>{k.scopes.join(', ')}</td>
                  <td className="nowrap" data-label={t('tokens.lastUsed')}>
                    {k.lastUsedAt ? fmt.relative(k.lastUsedAt) : t('common.never')}
                  </td>
                  <td className="nowrap" data-label={t('tokens.expires')}>
                    {k.expiresAt ? fmt.dateTime(k.expiresAt) : t('tokens.expires.never')}
                  </td>
                  <ActionCell
                    label={t('tokens.revoke')}
                    busy={revoke.isPending && revoke.variables === k.id}
                    onClick={() => revoke.mutate(k.id)}
                  />
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <CreatedTokenDialog created={created} onClose={() => setCreated(null)} />
    </Card>
  );
}

function CreatedTokenDialog({ created, onClose }: { created: CreatedToken | null; onClose(): void }) {
  const { t } = useI18n();
  if (!created) return null;
  return (
    <Dialog
      open
      dismissible={false}
      title={t('tokens.createdTitle', { name: created.name })}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <div className="alert alert-warning" role="note">
        <strong>{t('tokens.createdWarning')}</strong>
      </div>
      <div className="secret-row">
        <input
          aria-label={t('tokens.prefix')}
          className="input mono secret"
          readOnly
          value={created.token}
          data-autofocus
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton text={created.token} variant="primary" />
      </div>
    </Dialog>
  );
}
