import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderUi } from '../../../test/render';
import { OverviewTab } from '../admin/overview';

const overview = {
  mode: 'production',
  crs: { asOf: '2026-03-30T10:00:00Z', stale: false, uptimeSeconds: 606 },
  crsTrend: { days: [], asOf: '2026-03-30T10:00:00Z', stale: false },
  portal: { users: 3, keys: 5, activeKeys: 4 },
  sync: {
    lastRunAt: null,
    lastSuccessAt: null,
    lastDurationMs: null,
    lastError: null,
    keysUpdated: null,
    running: false,
    intervalSeconds: 60,
  },
  cache: { hitRate: 0.49, namespaces: {} },
  alerts: [],
};

describe('the admin overview', () => {
  it('says which window the hit rate and the alerts each look at, so 49 % beside "No alerts" reads right', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => Response.json(overview));
    renderUi(<OverviewTab />);
    const alerts = (await screen.findByText('No alerts: everything is within its thresholds.')).closest('section')!;
    expect(
      within(alerts).getByText(/Checked every 30 seconds over what happened since the previous check/),
    ).toBeTruthy();
    expect(screen.getByText('Cache hit rate since start · 49%')).toBeTruthy();
    // CRS's uptime in minutes, spelled out: not "10.1m", which reads as millions.
    expect(screen.getByText('10.1 min')).toBeTruthy();
  });
});
