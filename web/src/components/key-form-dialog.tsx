import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import type { CreateKeyBody, Key, Limits } from '../api/contract';
import { useMeta } from '../api/queries';
import { useI18n } from '../i18n';
import { ALL_LIMITS, type LimitsDraft, needsWindow } from '../lib/key-limits';
import { localDay } from '../lib/range';
import { Dialog } from './dialog';
import { ErrorMessage } from './error-message';
import { LimitFields } from './key-limit-fields';
import { Button, Field, TextField } from './ui';

export interface Draft {
  name: string;
  description: string;
  expires: string;
  limits: LimitsDraft;
  models: string;
}

function draftOf(key?: Key): Draft {
  const limits = Object.fromEntries(
    ALL_LIMITS.map((name) => [name, key?.limits[name] ? String(key.limits[name]) : '']),
  ) as LimitsDraft;
  return {
    name: key?.name ?? '',
    description: key?.description ?? '',
    expires: key?.expiresAt ? localDay(new Date(key.expiresAt)) : '',
    limits,
    models: key?.models.join('\n') ?? '',
  };
}

/**
 * The form as the API body. A new key omits what is empty; an edit sends everything, so clearing works (the
 * server sends CRS only what differs). Models the operator blocked stay blocked whatever the field says.
 */
export function toInput(d: Draft, editing: boolean, heldModels: string[] = []): CreateKeyBody {
  const limits: Partial<Limits> = {};
  for (const name of ALL_LIMITS) {
    const raw = d.limits[name].trim();
    if (raw !== '') limits[name] = Number(raw);
    else if (editing) limits[name] = 0;
  }
  const models = [...new Set([...d.models.split(/[\s,]+/).filter(Boolean), ...heldModels])];
  // The key works through the whole chosen day, in the person's own zone.
  const expiresAt = d.expires ? new Date(`${d.expires}T23:59:59`).toISOString() : null;
  const input: CreateKeyBody = { name: d.name.trim(), description: d.description.trim() };
  if (editing || expiresAt) input.expiresAt = expiresAt;
  if (editing || Object.keys(limits).length) input.limits = limits;
  if (editing || models.length) input.models = models;
  return input;
}

export function KeyFormDialog({
  open,
  editing,
  onClose,
  onSubmit,
  pending,
  error,
}: {
  open: boolean;
  editing?: Key;
  onClose(): void;
  onSubmit(input: CreateKeyBody): void;
  pending: boolean;
  error: unknown;
}) {
  const { t } = useI18n();
  const caps = useMeta().data?.keyLimitCaps;
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing));
  const [nameMissing, setNameMissing] = useState(false);
  const [windowMissing, setWindowMissing] = useState(false);
  const apiErr = error instanceof ApiError ? error : undefined;
  const fieldErr = (path: string) => apiErr?.field(path);
  const unplaced =
    apiErr && !apiErr.details.some((d) => /^(name|description|expiresAt|limits|models|status)/.test(d.path));
  const held = editing?.operator;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.name.trim()) {
      setNameMissing(true);
      return;
    }
    if (needsWindow(draft.limits)) {
      setWindowMissing(true);
      return;
    }
    onSubmit(toInput(draft, Boolean(editing), held?.models));
  };
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  return (
    <Dialog
      open={open}
      wide
      title={editing ? t('keyForm.editTitle', { name: editing.name }) : t('keyForm.createTitle')}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate className="form">
        {error && unplaced ? <ErrorMessage error={error} compact /> : null}
        {held && <p className="alert alert-info small">{t('keyForm.heldNote')}</p>}
        <TextField
          label={t('keyForm.name')}
          hint={t('keyForm.nameHint')}
          value={draft.name}
          maxLength={100}
          required
          data-autofocus
          error={nameMissing && !draft.name.trim() ? t('issue.required') : fieldErr('name')}
          onChange={(e) => set({ name: e.target.value })}
        />
        <Field
          label={`${t('keyForm.description')} (${t('common.optional')})`}
          hint={t('keyForm.descriptionHint')}
          error={fieldErr('description')}
        >
          {(a) => (
            <textarea
              className="input"
              rows={2}
              maxLength={500}
              value={draft.description}
              onChange={(e) => set({ description: e.target.value })}
              {...a}
            />
          )}
        </Field>
        <TextField
          label={`${t('keyForm.expiresAt')} (${t('common.optional')})`}
          hint={t('keyForm.expiresHint')}
          type="date"
          value={draft.expires}
          error={fieldErr('expiresAt')}
          onChange={(e) => set({ expires: e.target.value })}
        />
        <details className="disclosure" open={Boolean(editing && (held || ALL_LIMITS.some((f) => editing.limits[f])))}>
          <summary>{t('keyForm.limits')}</summary>
          <p className="muted small">{t('keyForm.limitsHint')}</p>
          <LimitFields
            limits={draft.limits}
            caps={caps}
            held={held?.limits}
            windowMissing={windowMissing && needsWindow(draft.limits)}
            fieldErr={fieldErr}
            onChange={(limits) => set({ limits })}
          />
        </details>
        <Field
          label={t('keyForm.models')}
          hint={
            held?.models.length
              ? `${t('keyForm.modelsHint')} ${t('keyForm.modelsHeld', { models: held.models.join(', ') })}`
              : t('keyForm.modelsHint')
          }
          error={fieldErr('models')}
        >
          {(a) => (
            <textarea
              className="input mono"
              rows={2}
              placeholder={t('keyForm.modelsPlaceholder')}
              value={draft.models}
              onChange={(e) => set({ models: e.target.value })}
              {...a}
            />
          )}
        </Field>
        <div className="form-actions">
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" busy={pending}>
            {editing ? t('keyForm.submitEdit') : pending ? t('keyForm.creating') : t('keyForm.submitCreate')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
