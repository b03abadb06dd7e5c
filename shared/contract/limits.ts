/**
 * Limits of the public contract. Plain constants with no imports, so the web app's forms can
 * check the same rules the server enforces without bundling the schema library.
 */

/** Usernames: 3-32 letters, digits, ".", "_", "-". */
export const USERNAME_PATTERN = '^[A-Za-z0-9._-]{3,32}$';
export const USERNAME_RULE = '3–32 letters, digits, “.”, “_” or “-”';

export const MIN_PASSWORD_CHARS = 8;
/** The upper bound keeps argon2 from being fed megabytes. */
export const MAX_PASSWORD_CHARS = 256;

/** Ids in paths and frames (conversations, users, chat requests). */
export const MAX_ID_CHARS = 64;
export const MAX_REFRESH_TOKEN_CHARS = 512;
export const MAX_ACCESS_TOKEN_CHARS = 4096;

export const MAX_TITLE_CHARS = 200;
export const MAX_SYSTEM_PROMPT_CHARS = 8000;
export const MAX_QUERY_CHARS = 200;
export const MAX_CONVERSATION_PAGE = 100;
export const MAX_AUDIT_PAGE = 200;

/** Extra stop strings a chat request may carry, and the length of each. */
export const MAX_STOP_STRINGS = 4;
export const MAX_STOP_CHARS = 32;
/** The most tokens one answer may ask for (the server's MAX_TOKENS may be lower). */
export const MAX_ANSWER_TOKENS = 32768;
