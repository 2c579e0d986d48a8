import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { KeyChanges } from './key-input.js';
import { emptyAccounts, type KeyRecord } from './key-record.js';
import { iso } from './time.js';
import type { KeySink } from './usage-sink.js';

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/**
 * API keys (`apikey:<id>` hashes, `apikey:hash_map`, the global tag set). Only the SHA-256 of a plaintext key is
 * kept; the plaintext leaves `create` once and is forgotten.
 */
export class KeyStore {
  readonly keys = new Map<string, KeyRecord>();
  readonly byHash = new Map<string, string>();
  readonly tagsAll = new Set<string>();
  /**
   * Bumped by every change of which keys exist or what a listing filters on (create, update, delete, restore):
   * a listing computed at one version is valid until the next (key-list.ts reuses it between pages).
   */
  version = 0;
  #tags: { version: number; sorted: string[] } | undefined;
  /** The mirror of CRS's `apikey:*` hashes, when the emulator writes CRS's Redis layout. */
  sink?: KeySink;

  constructor(private readonly now: () => number) {}

  /** Every tag ever used, sorted (the lists' `availableTags`), recomputed only after a change. */
  sortedTags(): string[] {
    if (this.#tags?.version !== this.version) this.#tags = { version: this.version, sorted: [...this.tagsAll].sort() };
    return this.#tags.sorted;
  }

  create(
    changes: KeyChanges,
    opts: { createdAt?: number; id?: string; secret?: string } = {},
  ): { key: KeyRecord; apiKey: string } {
    if (opts.id && this.keys.has(opts.id)) throw new Error(`duplicate key id ${opts.id}`);
    // `secret`: a captured key's own, so a replayed capture authenticates with it (tests/contract).
    const apiKey = opts.secret ?? `cr_${randomBytes(32).toString('hex')}`;
    const createdAt = iso(opts.createdAt ?? this.now());
    const activation = changes.expirationMode === 'activation';
    const key: KeyRecord = {
      id: opts.id ?? randomUUID(),
      name: '',
      description: '',
      hash: sha256(apiKey),
      tokenLimit: 0,
      concurrencyLimit: 0,
      rateLimitWindow: 0,
      rateLimitRequests: 0,
      rateLimitCost: 0,
      isActive: true,
      permissions: [],
      enableModelRestriction: false,
      restrictedModels: [],
      enableClientRestriction: false,
      allowedClients: [],
      dailyCostLimit: 0,
      totalCostLimit: 0,
      weeklyOpusCostLimit: 0,
      tags: [],
      activationDays: 0,
      activationUnit: 'days',
      expirationMode: 'fixed',
      isActivated: !activation,
      activatedAt: activation ? '' : createdAt,
      createdAt,
      lastUsedAt: '',
      expiresAt: '',
      createdBy: 'admin',
      userId: '',
      userUsername: '',
      icon: '',
      serviceRates: {},
      weeklyResetDay: 1,
      weeklyResetHour: 0,
      enableOpenAIResponsesCodexAdaptation: true,
      enableOpenAIResponsesPayloadRules: false,
      openaiResponsesPayloadRules: [],
      ...changes,
      accounts: { ...emptyAccounts(), ...(changes.accounts ?? {}) },
    };
    key.isActive = true; // isActive is ignored on create (docs/crs.md §4.3)
    this.keys.set(key.id, key);
    this.version++;
    this.byHash.set(key.hash, key.id);
    for (const t of key.tags) this.tagsAll.add(t);
    this.sink?.saved(key);
    return { key, apiKey };
  }

  get(id: string): KeyRecord | undefined {
    return this.keys.get(id);
  }

  update(key: KeyRecord, changes: KeyChanges): void {
    const { accounts, ...rest } = changes;
    Object.assign(key, rest);
    if (accounts) key.accounts = { ...key.accounts, ...accounts };
    if (changes.tags) for (const t of changes.tags) this.tagsAll.add(t);
    key.updatedAt = iso(this.now());
    this.version++;
    this.sink?.saved(key);
  }

  softDelete(key: KeyRecord, by: string): void {
    key.isDeleted = true;
    key.deletedAt = iso(this.now());
    key.deletedBy = by;
    key.deletedByType = 'admin';
    key.isActive = false;
    this.byHash.delete(key.hash);
    this.version++;
    this.sink?.saved(key);
  }

  restore(key: KeyRecord): void {
    key.isDeleted = undefined;
    key.deletedAt = undefined;
    key.deletedBy = undefined;
    key.deletedByType = undefined;
    key.isActive = true;
    key.restoredAt = iso(this.now());
    // CRS quirk seen in the capture: the restoring admin is not recorded.
    key.restoredBy = 'unknown';
    key.restoredByType = 'admin';
    this.byHash.set(key.hash, key.id);
    this.version++;
    this.sink?.saved(key);
  }

  remove(key: KeyRecord): void {
    this.keys.delete(key.id);
    this.byHash.delete(key.hash);
    this.version++;
    this.sink?.removed(key);
  }

  /** The key a secret belongs to while it still authenticates (a soft delete drops it from the lookup). */
  byPlaintext(plaintext: string): KeyRecord | undefined {
    const id = this.byHash.get(sha256(plaintext));
    return id ? this.keys.get(id) : undefined;
  }

  /** The key a relay request authenticates as, or why not (unknown, disabled, deleted, expired). */
  authenticate(plaintext: string, now: number): { key: KeyRecord } | { error: string } {
    const id = this.byHash.get(sha256(plaintext));
    const key = id ? this.keys.get(id) : undefined;
    if (!key || key.isDeleted) return { error: 'API key not found' };
    if (!key.isActive) return { error: 'API key is disabled' };
    if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return { error: 'API key has expired' };
    return { key };
  }
}
