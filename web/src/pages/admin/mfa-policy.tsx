import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { MfaPolicyView } from '../../api/contract';
import { qk } from '../../api/queries';
import { ErrorMessage } from '../../components/error-message';
import { useToast } from '../../components/toast';
import { Card, Segmented, Skeleton } from '../../components/ui';
import { useI18n } from '../../i18n';

type Policy = MfaPolicyView['mfaRequired'];

/** Who must use two-factor authentication (docs/decisions/027): applies at once, to existing sessions too. */
export function MfaPolicyCard() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const toast = useToast();
  const key = [...qk.admin, 'mfa-policy'];
  const policy = useQuery({ queryKey: key, queryFn: () => api<MfaPolicyView>('/api/admin/settings/mfa') });
  const save = useMutation({
    mutationFn: (mfaRequired: Policy) =>
      api<MfaPolicyView>('/api/admin/settings/mfa', { method: 'PATCH', body: { mfaRequired } }),
    onSuccess: (v) => {
      qc.setQueryData(key, v);
      toast(t('admin.mfa.saved'));
    },
  });
  return (
    <Card title={t('admin.mfa.title')}>
      <p className="muted small">{t('admin.mfa.body')}</p>
      {policy.error && <ErrorMessage error={policy.error} onRetry={() => policy.refetch()} compact />}
      {save.error && <ErrorMessage error={save.error} compact />}
      {policy.data ? (
        <Segmented<Policy>
          label={t('admin.mfa.title')}
          value={save.isPending && save.variables ? save.variables : policy.data.mfaRequired}
          options={[
            { value: 'off', label: t('admin.mfa.off') },
            { value: 'admins', label: t('admin.mfa.admins') },
            { value: 'everyone', label: t('admin.mfa.everyone') },
          ]}
          onChange={(v) => save.mutate(v)}
        />
      ) : (
        !policy.error && <Skeleton height="2.5rem" />
      )}
    </Card>
  );
}
