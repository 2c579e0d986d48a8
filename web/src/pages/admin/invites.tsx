import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { CopyButton } from '../../components/copy-button';
import { ErrorMessage } from '../../components/error-message';
import { Button, Card, TextField } from '../../components/ui';
import { useI18n } from '../../i18n';

export function InvitesTab() {
  const { t } = useI18n();
  const [count, setCount] = useState('5');
  const create = useMutation({
    mutationFn: (n: number) => api<{ codes: string[] }>('/api/admin/invites', { method: 'POST', body: { count: n } }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(Math.min(100, Math.max(1, Number(count) || 1)));
  };
  const codes = create.data?.codes;
  return (
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
          <Button type="submit" variant="primary" busy={create.isPending}>
            {t('admin.invites.create')}
          </Button>
        </form>
        {create.error ? <ErrorMessage error={create.error} compact /> : null}
      </Card>
      {codes && (
        <Card
          title={t('admin.invites.created')}
          actions={<CopyButton text={codes.join('\n')} label={t('admin.invites.copyAll')} />}
        >
          <p className="muted small">{t('admin.invites.once')}</p>
          <ul className="codes" data-testid="invite-codes">
            {codes.map((c) => (
              <li key={c}>
                <code className="mono">{c}</code>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
