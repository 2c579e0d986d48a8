import { useState } from 'react';
import type { CreatedKey, Key } from '../api/contract';
import { useCreateKey, useDeleteKey, useInstructions, useUpdateKey } from '../api/queries';
import { useI18n } from '../i18n';
import { ConfirmDialog } from './confirm-dialog';
import { useErrorText } from './error-message';
import { KeyFormDialog } from './key-form-dialog';
import { SecretDialog } from './secret-dialog';
import { useToast } from './toast';

/**
 * Create / edit / enable-disable / delete of keys with their dialogs and confirmations, shared by the keys
 * list and the key detail page. Render `dialogs` once; call the verbs from buttons.
 */
export function useKeyActions(opts: { onDeleted?(key: Key): void } = {}) {
  const { t } = useI18n();
  const toast = useToast();
  const errorText = useErrorText();
  const create = useCreateKey();
  const update = useUpdateKey();
  const del = useDeleteKey();
  const [form, setForm] = useState<{ editing?: Key } | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [deleting, setDeleting] = useState<Key | null>(null);
  const instructions = useInstructions(created?.key.id ?? '', Boolean(created));

  const closeForm = () => {
    setForm(null);
    create.reset();
    update.reset();
  };

  const toggle = (key: Key) => {
    const status = key.status === 'active' ? 'disabled' : 'active';
    update.mutate(
      { id: key.id, input: { status } },
      {
        onSuccess: () => toast(t(status === 'active' ? 'toast.enabled' : 'toast.disabled', { name: key.name })),
        onError: (e) => toast(errorText(e).detail ?? errorText(e).headline, 'error'),
      },
    );
  };

  const dialogs = (
    <>
      {form && (
        <KeyFormDialog
          open
          editing={form.editing}
          onClose={closeForm}
          pending={form.editing ? update.isPending : create.isPending}
          error={form.editing ? update.error : create.error}
          onSubmit={(input) => {
            if (form.editing) {
              update.mutate(
                { id: form.editing.id, input },
                {
                  onSuccess: () => {
                    closeForm();
                    toast(t('toast.saved'));
                  },
                },
              );
            } else {
              create.mutate(input, {
                onSuccess: (res) => {
                  closeForm();
                  setCreated(res);
                },
              });
            }
          }}
        />
      )}
      <SecretDialog
        created={created}
        instructions={instructions.data}
        onClose={() => {
          const name = created?.key.name ?? '';
          setCreated(null);
          toast(t('toast.created', { name }));
        }}
      />
      <ConfirmDialog
        open={Boolean(deleting)}
        title={t('keys.delete.title', { name: deleting?.name ?? '' })}
        body={t('keys.delete.body', { name: deleting?.name ?? '' })}
        confirmLabel={del.isPending ? t('keys.deleting') : t('keys.delete.confirm')}
        pending={del.isPending}
        error={del.error}
        onClose={() => {
          setDeleting(null);
          del.reset();
        }}
        onConfirm={() => {
          const key = deleting;
          if (!key) return;
          del.mutate(key.id, {
            onSuccess: () => {
              setDeleting(null);
              toast(t('toast.deleted', { name: key.name }));
              opts.onDeleted?.(key);
            },
          });
        }}
      />
    </>
  );

  return {
    dialogs,
    create: () => setForm({}),
    edit: (key: Key) => setForm({ editing: key }),
    toggle,
    remove: (key: Key) => setDeleting(key),
  };
}
