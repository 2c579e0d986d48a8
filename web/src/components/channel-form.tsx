import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import type { ChannelCreateBody, NotificationCategory } from '../api/contract';
import { useCreateChannel } from '../api/notification-queries';
import { type MessageKey, useI18n } from '../i18n';
import { CategoryPicks } from './category-picks';
import { CopyButton } from './copy-button';
import { ErrorMessage } from './error-message';
import { useToast } from './toast';
import { Button, SelectField, TextField } from './ui';

type AddType = ChannelCreateBody['type'];
const TYPES: AddType[] = ['webhook', 'slack', 'feishu', 'lark', 'dingtalk', 'wecom', 'telegram'];
/** Robots that may sign their requests (a secret the platform gives). */
const SIGNED = new Set<AddType>(['feishu', 'lark', 'dingtalk']);

/**
 * Adds a webhook or a chat robot. A robot is given by the URL its platform shows (the server keeps only the token);
 * Telegram by its bot token and chat. A webhook secret the portal made is shown once, with a copy button.
 */
export function ChannelForm({ categories }: { categories: NotificationCategory[] }) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreateChannel();
  const [type, setType] = useState<AddType>('webhook');
  const [f, setF] = useState({ label: '', url: '', token: '', chatId: '', secret: '' });
  const [events, setEvents] = useState<NotificationCategory[]>(categories.filter((c) => c !== 'system'));
  const [secret, setSecret] = useState<string>();
  const err = create.error instanceof ApiError ? create.error : undefined;
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSecret(undefined);
    const body: ChannelCreateBody = {
      type,
      label: f.label,
      events,
      ...(type === 'telegram' ? { token: f.token, chatId: f.chatId } : { url: f.url }),
      ...(f.secret && (type === 'webhook' || SIGNED.has(type)) ? { secret: f.secret } : {}),
    };
    create.mutate(body, {
      onSuccess: (r) => {
        toast(t('notify.created'));
        setSecret(r.secret);
        setF({ label: '', url: '', token: '', chatId: '', secret: '' });
      },
    });
  };
  return (
    <form className="form channel-form" onSubmit={submit} noValidate>
      {create.error && !err?.details.length ? <ErrorMessage error={create.error} compact /> : null}
      {secret && (
        <div className="alert alert-warning" role="status">
          <p>{t('notify.secretOnce')}</p>
          <div className="secret-row">
            <code className="secret mono">{secret}</code>
            <CopyButton text={secret} />
          </div>
        </div>
      )}
      <div className="grid-2 gap">
        <SelectField
          label={t('notify.type')}
          value={type}
          onChange={(e) => setType(e.target.value as AddType)}
          options={TYPES.map((x) => ({ value: x, label: t(`notify.type.${x}` as MessageKey) }))}
        />
        <TextField
          label={t('notify.label')}
          hint={t('notify.labelHint')}
          value={f.label}
          onChange={set('label')}
          maxLength={60}
          error={err?.field('label')}
        />
      </div>
      {type === 'telegram' ? (
        <div className="grid-2 gap">
          <TextField
            label={t('notify.token')}
            value={f.token}
            onChange={set('token')}
            autoComplete="off"
            error={err?.field('token')}
          />
          <TextField
            label={t('notify.chatId')}
            hint={t('notify.chatIdHint')}
            value={f.chatId}
            onChange={set('chatId')}
            error={err?.field('chatId')}
          />
        </div>
      ) : (
        <TextField
          label={t(type === 'webhook' ? 'notify.url' : 'notify.robotUrl')}
          hint={t(type === 'webhook' ? 'notify.urlHint' : 'notify.robotUrlHint')}
          type="url"
          inputMode="url"
          value={f.url}
          onChange={set('url')}
          autoComplete="off"
          error={err?.field('url') ?? err?.field('token')}
        />
      )}
      {(type === 'webhook' || SIGNED.has(type)) && (
        <TextField
          label={`${t('notify.secret')} (${t('common.optional')})`}
          hint={t(type === 'webhook' ? 'notify.secretHintWebhook' : 'notify.secretHintRobot')}
          value={f.secret}
          onChange={set('secret')}
          autoComplete="off"
          error={err?.field('secret')}
        />
      )}
      <CategoryPicks
        legend={t('notify.eventsOf', { name: t(`notify.type.${type}` as MessageKey) })}
        options={categories}
        value={events}
        onChange={setEvents}
      />
      <div>
        <Button type="submit" variant="primary" busy={create.isPending}>
          {t('notify.create')}
        </Button>
      </div>
    </form>
  );
}
