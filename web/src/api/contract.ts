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
  Limits,
  OperatorHold,
  ReleaseBody,
  SortOrder,
  UpdateKeyBody,
} from '../../../src/http/schemas/keys';
export type { HealthResponse, MetaResponse } from '../../../src/http/schemas/ops';
export type {
  CompareEntry,
  CompareResponse,
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
