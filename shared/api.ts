/**
 * Types of the public contract (/work/shared/API.md), shared by the server and the web app.
 * Plain types only: this file has no runtime code and no imports, so both sides can use it.
 */

// ---------------------------------------------------------------- errors

/** Stable machine codes carried by every error, REST or WebSocket. */
export type ApiErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'throttled'
  | 'not_ready'
  | 'busy'
  | 'context_overflow'
  | 'model_unavailable'
  | 'internal';

/** The body of every 4xx/5xx REST answer. `code` is a string: servers may add codes. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode | (string & {}); message: string };
}

// ---------------------------------------------------------------- auth

export type UserRole = 'admin' | 'user';

export interface User {
  id: string;
  username: string;
  role: UserRole;
}

export interface SetupStatus {
  needed: boolean;
}

export interface Credentials {
  username: string;
  password: string;
}

/** POST /api/auth/login and /api/auth/refresh. `refreshToken` only for non-browser clients. */
export interface SessionResponse {
  user: User;
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
}

export interface UserResponse {
  user: User;
}

// ---------------------------------------------------------------- conversations

export interface Conversation {
  id: string;
  title: string;
  systemPrompt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
}

export type MessageRole = 'system' | 'user' | 'assistant';
/** 'pending' (beyond API.md): the answer is still being written, e.g. seen from another tab. */
export type MessageStatus = 'complete' | 'stopped' | 'interrupted' | 'error' | 'pending';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface MessageTimings {
  ttftMs: number;
  totalMs: number;
  tokensPerSecond: number;
}

export interface Message {
  id: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  createdAt: string;
  cached?: boolean;
  usage?: Usage;
  timings?: MessageTimings;
  /** Beyond API.md: why an answer with status 'error' failed (an error code). */
  errorCode?: string;
}

export interface ConversationListQuery {
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface ConversationList {
  conversations: ConversationSummary[];
  nextCursor: string | null;
}

export interface ConversationInput {
  title?: string;
  systemPrompt?: string;
}

export interface ConversationResponse {
  conversation: Conversation;
}

export interface ConversationWithMessages {
  conversation: Conversation;
  messages: Message[];
}

export type ExportFormat = 'json' | 'markdown';

// ---------------------------------------------------------------- chat socket

/** Sampling options a chat frame may carry. */
export interface ChatOptions {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  seed?: number;
  noCache?: boolean;
  /** Extra stop strings (up to 4, each at most 32 characters); an addition to API.md. */
  stop?: string[];
}

export interface ChatFrame {
  type: 'chat';
  id: string;
  conversationId?: string;
  content?: string;
  /** Only when conversationId is absent: starts a new conversation with it. */
  systemPrompt?: string;
  /** Replace the last assistant answer instead of sending content. */
  regenerate?: boolean;
  options?: ChatOptions;
}

export interface StopFrame {
  type: 'stop';
  id: string;
}

export interface PingFrame {
  type: 'ping';
}

export interface AuthFrame {
  type: 'auth';
  token: string;
}

export type ClientFrame = ChatFrame | StopFrame | PingFrame | AuthFrame;

export type FinishReason = 'stop' | 'length' | 'abort';

export interface ReadyFrame {
  type: 'ready';
  user: User;
}

export interface QueuedFrame {
  type: 'queued';
  id: string;
  position: number;
  etaMs?: number;
}

export interface StartFrame {
  type: 'start';
  id: string;
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
}

export interface TokenFrame {
  type: 'token';
  id: string;
  text: string;
}

export interface DoneFrame {
  type: 'done';
  id: string;
  assistantMessageId: string;
  finishReason: FinishReason;
  cached: boolean;
  usage: Usage;
  timings: { queueMs: number; ttftMs: number; totalMs: number; tokensPerSecond: number };
  context: { includedMessages: number; droppedMessages: number };
}

export interface ErrorFrame {
  type: 'error';
  id?: string;
  code: ApiErrorCode | (string & {});
  message: string;
  /** With `busy`: when to try again, estimated from measured throughput. */
  retryAfterMs?: number;
}

export interface PongFrame {
  type: 'pong';
}

export type ServerFrame = ReadyFrame | QueuedFrame | StartFrame | TokenFrame | DoneFrame | ErrorFrame | PongFrame;

// ---------------------------------------------------------------- administration

export interface AdminMetrics {
  system: {
    cpuPercent: number;
    memory: { totalBytes: number; usedBytes: number; processRssBytes: number };
    uptimeSec: number;
    loadAvg: number[];
  };
  model: {
    loaded: boolean;
    name: string | null;
    file: string | null;
    architecture: string | null;
    parameters: number | null;
    quantization: string | null;
    contextSize: number;
    threads: number;
    parallel: number;
    loadTimeMs: number | null;
    /** Beyond API.md: the engine's state ('ready', 'loading', 'unavailable', 'restarting'). */
    status?: string;
    /** Beyond API.md: why the model is not ready and how to fix it. */
    hint?: string | null;
  };
  inference: {
    activeSequences: number;
    queueDepth: number;
    requests: number;
    tokensGenerated: number;
    ttftMs: { p50: number | null; p95: number | null };
    tokensPerSecond: { p50: number | null; p95: number | null };
  };
  cache: {
    backend: 'redis' | 'memory';
    hits: number;
    misses: number;
    hitRate: number;
    entries: number;
    bytes: number;
    ttlSec: number;
  };
  sessions: { activeSockets: number; activeUsers: number };
}

export interface MetricsSample {
  at: string;
  cpuPercent: number;
  memoryUsedBytes: number;
  processRssBytes: number;
  tokensPerSecond: number | null;
  queueDepth: number;
  activeSessions: number;
}

export interface MetricsHistory {
  intervalSec: number;
  samples: MetricsSample[];
}

export interface CacheFlushResult {
  flushed: number;
}

export interface AdminUser {
  id: string;
  username: string;
  role: UserRole;
  disabled: boolean;
  /** False: the user's API keys are refused on /v1. */
  apiAccess: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface AdminUserList {
  users: AdminUser[];
}

/** POST /api/admin/users (201) and PATCH /api/admin/users/:id. */
export interface AdminUserResponse {
  user: AdminUser;
}

export interface NewUserInput {
  username: string;
  password: string;
  role: UserRole;
}

export interface UserPatch {
  role?: UserRole;
  disabled?: boolean;
  password?: string;
  apiAccess?: boolean;
}

export interface AuditEntry {
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditList {
  entries: AuditEntry[];
  nextCursor?: string | null;
}

// ---------------------------------------------------------------- operations

export interface HealthStatus {
  status: 'ok';
}
