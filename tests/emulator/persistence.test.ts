import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crs-emu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dataFile persistence', () => {
  it('round-trips keys and usage, never writing a plaintext key', async () => {
    const dataFile = path.join(dir, 'not-yet', 'emulator.json'); // the directory is created on save
    const first = await harness({ dataFile, seedDemo: true });
    const { id, apiKey } = await first.createKey({ name: 'persisted', tags: ['portal'], dailyCostLimit: 3 });
    expect((await first.relay(apiKey, { messages: [{ role: 'user', content: 'remember me' }] })).status).toBe(200);
    const legacy = [...first.emu.store.keys.keys.values()].find((k) => k.name === 'legacy-integration')!;
    await first.call('DELETE', `/admin/api-keys/${legacy.id}`);
    const before = (await first.call('GET', '/admin/usage-stats')).body.data.stats;
    const recordsBefore = (await first.call('GET', `/admin/api-keys/${id}/usage-records`)).body.data.records;
    await first.emu.close();

    const text = readFileSync(dataFile, 'utf8');
    expect(text).not.toContain(apiKey);
    expect(text).not.toMatch(/cr_[0-9a-f]{64}/);

    const second = await harness({ dataFile, seedDemo: true });
    expect(second.emu.store.keyCount()).toBe(5); // loaded, not re-seeded
    expect((await second.call('GET', '/admin/usage-stats')).body.data.stats).toEqual(before);
    expect((await second.call('GET', `/admin/api-keys/${id}/usage-records`)).body.data.records).toEqual(recordsBefore);
    expect((await second.call('GET', '/admin/api-keys/deleted')).body.total).toBe(1);
    expect((await second.relay(apiKey, { messages: [] })).status).toBe(200);
  });

  it('saves atomically on demand without a temp file left behind', async () => {
    const dataFile = path.join(dir, 'atomic.json');
    const h = await harness({ dataFile });
    h.emu.store.createKey({ name: 'x' });
    await h.emu.save();
    expect(JSON.parse(readFileSync(dataFile, 'utf8')).keys).toHaveLength(1);
    expect(readFileSync(dataFile, 'utf8')).not.toContain('.tmp');
  });
});
