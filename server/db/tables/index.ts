import type { UserTable } from './user.table.js';
import type { RefreshTokenTable } from './refresh-token.table.js';
import type { ConversationTable } from './conversation.table.js';
import type { MessageTable } from './message.table.js';
import type { AuditLogTable } from './audit-log.table.js';
import type { ApiKeyTable } from './api-key.table.js';
import type { LimitTable } from './limit.table.js';
import type { UsageDailyTable } from './usage-daily.table.js';

export interface Database {
  users: UserTable;
  refresh_tokens: RefreshTokenTable;
  conversations: ConversationTable;
  messages: MessageTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeyTable;
  limits: LimitTable;
  usage_daily: UsageDailyTable;
}
