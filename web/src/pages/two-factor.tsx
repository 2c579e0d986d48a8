import { TwoFactorCard } from '../components/two-factor-card';
import { PageHeader } from '../components/ui';
import { useI18n } from '../i18n';

/**
 * The second factor on its own page: where the app sends an account the operator requires to enrol (every other
 * page answers `mfa_required` until then), and a direct link from settings.
 */
export function TwoFactorPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('mfa.page')} />
      <TwoFactorCard />
    </>
  );
}
