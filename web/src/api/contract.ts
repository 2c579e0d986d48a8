/**
 * The HTTP API's shapes as the server declares them: types derived from its zod schemas (src/http/schemas), imported
 * type-only. They are erased from the build, so no server code and no zod reach the browser, and
 * `npm run typecheck` checks the web app against the server's own declarations. The UI reads nothing else.
 */
export type {
  AdminUser,
  CacheStatsResponse,
  CrsTrend,
  Invite,
  InviteStatus,
  InvitesBody,
  InvitesCreated,
  InvitesPage,
  OverviewResponse,
  PurgeBody,
  PurgeResponse,
  SyncResponse,
  UserPatch,
  UsersPage,
} from '../../../src/http/schemas/admin';
export type {
  LoginBody,
  MeResponse,
  PasswordBody,
  RegisterBody,
  Role,
  Session,
  SessionResponse,
  SessionsPage,
  SignedInResponse,
  User,
} from '../../../src/http/schemas/auth';
export type { TokenSplit } from '../../../src/http/schemas/common';
export type {
  AdminKey,
  AdminKeysPage,
  CreatedKey,
  CreateKeyBody,
  Instructions,
  Key,
  KeyPage,
  KeySort,
  KeyStatus,
  LimitKind,
  Limits,
  LimitUsage,
  OperatorHold,
  ReleaseBody,
  SortOrder,
  UpdateKeyBody,
} from '../../../src/http/schemas/keys';
export type {
  MfaChallenge,
  MfaPolicyView,
  MfaProofBody,
  MfaStatus,
  MfaVerifyBody,
  RecoveryCodes,
  TotpSetup,
} from '../../../src/http/schemas/mfa';
export type {
  ChannelCreateBody,
  ChannelCreated,
  ChannelPatch,
  ChannelView,
  DefaultsBody,
  DeliveryLogEntry,
  DeliveryLogPage,
  NotificationCategory,
  NotificationSettings,
  NotifyDefaults,
  SettingsPatch,
  TestResult,
} from '../../../src/http/schemas/notifications';
export type { HealthResponse, MetaResponse } from '../../../src/http/schemas/ops';
export type { AdminStatementsResponse, StatementResponse, SummaryResponse } from '../../../src/http/schemas/spend';
export type { SsoCompleteBody, SsoCompleted, SsoPending } from '../../../src/http/schemas/sso';
export type {
  CompareEntry,
  CompareResponse,
  HourlyUsageResponse,
  LeaderboardPeriod,
  LeaderboardResponse,
  LeaderboardScope,
  LeaderboardSort,
  ModelRow,
  ModelsResponse,
  RangeEcho,
  RecentRequest,
  RequestsResponse,
  SeriesPoint,
  UsageResponse,
} from '../../../src/http/schemas/stats';
export type { CreatedToken, CreateTokenBody, MeSummary, TokenList, TokenView } from '../../../src/http/schemas/tokens';
