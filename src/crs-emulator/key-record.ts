/**
 * One API key as CRS keeps it in the `apikey:<id>` hash (docs/crs.md §4.1), typed. `raw()` renders the hash the way
 * Redis stores it (every value a string, in CRS's field order); the list, deleted list and restore responses are
 * all derived from that raw form, because CRS parses a different subset of fields in each of them.
 */
export interface KeyRecord {
  id: string;
  name: string;
  description: string;
  /** SHA-256 hex of the plaintext key; the plaintext is never kept. */
  hash: string;
  tokenLimit: number;
  concurrencyLimit: number;
  rateLimitWindow: number;
  rateLimitRequests: number;
  rateLimitCost: number;
  isActive: boolean;
  accounts: Record<AccountField, string>;
  permissions: string[];
  enableModelRestriction: boolean;
  restrictedModels: string[];
  enableClientRestriction: boolean;
  allowedClients: string[];
  dailyCostLimit: number;
  totalCostLimit: number;
  weeklyOpusCostLimit: number;
  tags: string[];
  activationDays: number;
  activationUnit: string;
  expirationMode: 'fixed' | 'activation';
  isActivated: boolean;
  activatedAt: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  createdBy: string;
  userId: string;
  userUsername: string;
  icon: string;
  serviceRates: Record<string, number>;
  weeklyResetDay: number;
  weeklyResetHour: number;
  enableOpenAIResponsesCodexAdaptation: boolean;
  enableOpenAIResponsesPayloadRules: boolean;
  openaiResponsesPayloadRules: unknown[];
  updatedAt?: string;
  isDeleted?: boolean;
  deletedAt?: string;
  deletedBy?: string;
  deletedByType?: string;
  restoredAt?: string;
  restoredBy?: string;
  restoredByType?: string;
}

export const ACCOUNT_FIELDS = [
  'claudeAccountId',
  'claudeConsoleAccountId',
  'geminiAccountId',
  'openaiAccountId',
  'azureOpenaiAccountId',
  'bedrockAccountId',
  'droidAccountId',
] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

export function emptyAccounts(): Record<AccountField, string> {
  return {
    claudeAccountId: '',
    claudeConsoleAccountId: '',
    geminiAccountId: '',
    openaiAccountId: '',
    azureOpenaiAccountId: '',
    bedrockAccountId: '',
    droidAccountId: '',
  };
}

export function raw(k: KeyRecord): Record<string, string> {
  const r: Record<string, string> = {
    id: k.id,
    name: k.name,
    description: k.description,
    apiKey: k.hash,
    tokenLimit: String(k.tokenLimit),
    concurrencyLimit: String(k.concurrencyLimit),
    rateLimitWindow: String(k.rateLimitWindow),
    rateLimitRequests: String(k.rateLimitRequests),
    rateLimitCost: String(k.rateLimitCost),
    isActive: String(k.isActive),
    ...k.accounts,
    permissions: JSON.stringify(k.permissions),
    enableModelRestriction: String(k.enableModelRestriction),
    restrictedModels: JSON.stringify(k.restrictedModels),
    enableClientRestriction: String(k.enableClientRestriction),
    allowedClients: JSON.stringify(k.allowedClients),
    dailyCostLimit: String(k.dailyCostLimit),
    totalCostLimit: String(k.totalCostLimit),
    weeklyOpusCostLimit: String(k.weeklyOpusCostLimit),
    tags: JSON.stringify(k.tags),
    activationDays: String(k.activationDays),
    activationUnit: k.activationUnit,
    expirationMode: k.expirationMode,
    isActivated: String(k.isActivated),
    activatedAt: k.activatedAt,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    expiresAt: k.expiresAt,
    createdBy: k.createdBy,
    userId: k.userId,
    userUsername: k.userUsername,
    icon: k.icon,
    serviceRates: JSON.stringify(k.serviceRates),
    weeklyResetDay: String(k.weeklyResetDay),
    weeklyResetHour: String(k.weeklyResetHour),
    enableOpenAIResponsesCodexAdaptation: String(k.enableOpenAIResponsesCodexAdaptation),
    enableOpenAIResponsesPayloadRules: String(k.enableOpenAIResponsesPayloadRules),
    openaiResponsesPayloadRules: JSON.stringify(k.openaiResponsesPayloadRules),
  };
  if (k.updatedAt !== undefined) r.updatedAt = k.updatedAt;
  if (k.isDeleted) {
    r.isDeleted = 'true';
    r.deletedAt = k.deletedAt ?? '';
    r.deletedBy = k.deletedBy ?? '';
    r.deletedByType = k.deletedByType ?? '';
  }
  if (k.restoredAt !== undefined) {
    r.restoredAt = k.restoredAt;
    r.restoredBy = k.restoredBy ?? '';
    r.restoredByType = k.restoredByType ?? '';
  }
  return r;
}

const NUMBER_FIELDS_IN_LIST = [
  'tokenLimit',
  'rateLimitWindow',
  'rateLimitRequests',
  'rateLimitCost',
  'dailyCostLimit',
  'totalCostLimit',
];
const BOOL_FIELDS = [
  'isActive',
  'enableModelRestriction',
  'enableClientRestriction',
  'enableOpenAIResponsesCodexAdaptation',
  'enableOpenAIResponsesPayloadRules',
  'isDeleted',
];
const JSON_FIELDS = ['restrictedModels', 'allowedClients', 'tags', 'serviceRates', 'openaiResponsesPayloadRules'];

/** GET /admin/api-keys item: the mixed types of docs/crs.md §4.1 (concurrencyLimit "3", isActivated "true", …). */
export function listItem(k: KeyRecord): Record<string, unknown> {
  const out: Record<string, unknown> = raw(k);
  for (const f of NUMBER_FIELDS_IN_LIST) out[f] = Number(out[f]);
  parseCommon(out);
  out.ownerDisplayName = 'Admin';
  out.usage = { total: { requests: 0, tokens: 0, cost: 0, formattedCost: '$0.00' } };
  return out;
}

/** GET /admin/api-keys/deleted item before its stats: more numbers parsed, no hash, isActivated a boolean. */
export function deletedItemBase(k: KeyRecord): Record<string, unknown> {
  const out: Record<string, unknown> = raw(k);
  delete out.apiKey;
  for (const f of [...NUMBER_FIELDS_IN_LIST, 'concurrencyLimit', 'weeklyOpusCostLimit', 'activationDays']) {
    out[f] = Number(out[f]);
  }
  parseCommon(out);
  out.isActivated = k.isActivated;
  out.activatedAt = k.activatedAt || null;
  return out;
}

function parseCommon(out: Record<string, unknown>): void {
  for (const f of BOOL_FIELDS) if (f in out) out[f] = out[f] === 'true';
  for (const f of JSON_FIELDS) out[f] = JSON.parse(out[f] as string);
}

/** POST /admin/api-keys response `data` (numbers and arrays as given; `apiKey` is the plaintext, once). */
export function createdView(k: KeyRecord, plaintext: string): Record<string, unknown> {
  return {
    id: k.id,
    apiKey: plaintext,
    name: k.name,
    description: k.description,
    tokenLimit: k.tokenLimit,
    concurrencyLimit: k.concurrencyLimit,
    rateLimitWindow: k.rateLimitWindow,
    rateLimitRequests: k.rateLimitRequests,
    rateLimitCost: k.rateLimitCost,
    isActive: k.isActive,
    ...k.accounts,
    permissions: k.permissions,
    enableModelRestriction: k.enableModelRestriction,
    restrictedModels: k.restrictedModels,
    enableClientRestriction: k.enableClientRestriction,
    allowedClients: k.allowedClients,
    dailyCostLimit: k.dailyCostLimit,
    totalCostLimit: k.totalCostLimit,
    weeklyOpusCostLimit: k.weeklyOpusCostLimit,
    tags: k.tags,
    activationDays: k.activationDays,
    activationUnit: k.activationUnit,
    expirationMode: k.expirationMode,
    isActivated: k.isActivated,
    activatedAt: k.activatedAt,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    createdBy: k.createdBy,
    serviceRates: k.serviceRates,
    enableOpenAIResponsesCodexAdaptation: k.enableOpenAIResponsesCodexAdaptation,
    enableOpenAIResponsesPayloadRules: k.enableOpenAIResponsesPayloadRules,
    openaiResponsesPayloadRules: k.openaiResponsesPayloadRules,
  };
}
