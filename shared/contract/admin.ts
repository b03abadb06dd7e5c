import { Type, type Static } from 'typebox';
import { Password, UserRole, Username } from './auth.js';
import { MAX_AUDIT_PAGE } from './limits.js';

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const Percentiles = Type.Object({ p50: NullableNum, p95: NullableNum });

// ---------------------------------------------------------------- metrics

/** Finished answers (cached ones among them) and tokens the model generated, for one route. */
const RouteFigures = Type.Object({ requests: Num, cached: Num, tokensGenerated: Num });

/** GET /api/admin/metrics. As a response schema it is also the serializer: unlisted fields never leave. */
export const AdminMetrics = Type.Object({
  system: Type.Object({
    cpuPercent: Num,
    memory: Type.Object({ totalBytes: Num, usedBytes: Num, processRssBytes: Num }),
    /** How long the portal process has run. */
    uptimeSec: Num,
    /** How long the machine has run. */
    hostUptimeSec: Num,
    loadAvg: Type.Array(Num),
  }),
  model: Type.Object({
    loaded: Type.Boolean(),
    name: NullableStr,
    file: NullableStr,
    architecture: NullableStr,
    parameters: NullableNum,
    quantization: NullableStr,
    contextSize: Num,
    threads: Num,
    parallel: Num,
    loadTimeMs: NullableNum,
    status: Type.Enum(['loading', 'ready', 'unavailable', 'restarting']),
    /** Why the model is not ready and how to fix it; null when ready. */
    hint: NullableStr,
  }),
  inference: Type.Object({
    activeSequences: Num,
    queueDepth: Num,
    requests: Num,
    tokensGenerated: Num,
    ttftMs: Percentiles,
    tokensPerSecond: Percentiles,
  }),
  cache: Type.Object({
    backend: Type.Enum(['redis', 'memory']),
    hits: Num,
    misses: Num,
    hitRate: Num,
    entries: Num,
    bytes: Num,
    ttlSec: Num,
    /** Backend changes (Redis lost or back) since the start. */
    switches: Num,
  }),
  sessions: Type.Object({ activeSockets: Num, activeUsers: Num }),
  /** Answers and model tokens by who asked: the chat socket or the OpenAI-compatible API. */
  routes: Type.Object({ socket: RouteFigures, api: RouteFigures }),
});
export type AdminMetrics = Static<typeof AdminMetrics>;

export const MetricsSample = Type.Object({
  at: Type.String(),
  cpuPercent: Num,
  memoryUsedBytes: Num,
  processRssBytes: Num,
  tokensPerSecond: Num,
  queueDepth: Num,
  activeSessions: Num,
});
/** GET /api/admin/metrics/history. */
export const MetricsHistory = Type.Object({ intervalSec: Num, samples: Type.Array(MetricsSample) });
export type MetricsHistory = Static<typeof MetricsHistory>;

/** POST /api/admin/cache/flush. */
export const CacheFlushResult = Type.Object({ flushed: Num });
export type CacheFlushResult = Static<typeof CacheFlushResult>;

// ---------------------------------------------------------------- users

export const AdminUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: UserRole,
  disabled: Type.Boolean(),
  /** May use the /v1 API with API keys. */
  apiAccess: Type.Boolean(),
  createdAt: Type.String(),
  lastLoginAt: NullableStr,
});
export type AdminUser = Static<typeof AdminUser>;

export const AdminUserList = Type.Object({ users: Type.Array(AdminUser) });
export type AdminUserList = Static<typeof AdminUserList>;

/** POST /api/admin/users (201) and PATCH /api/admin/users/:id. */
export const AdminUserReply = Type.Object({ user: AdminUser });
export type AdminUserReply = Static<typeof AdminUserReply>;

export const NewUserBody = Type.Object(
  { username: Username, password: Password, role: Type.Optional(UserRole) },
  { additionalProperties: false },
);
export type NewUserBody = Static<typeof NewUserBody>;

export const UserPatchBody = Type.Object(
  {
    role: Type.Optional(UserRole),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Password),
    apiAccess: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserPatchBody = Static<typeof UserPatchBody>;

// ---------------------------------------------------------------- audit

export const AuditQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_PAGE })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  },
  { additionalProperties: false },
);

export const AuditEntry = Type.Object({
  at: Type.String(),
  actor: NullableStr,
  action: Type.String(),
  target: NullableStr,
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry), nextCursor: NullableStr });
export type AuditPage = Static<typeof AuditPage>;
