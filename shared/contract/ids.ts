import { Type } from 'typebox';
import { MAX_ID_CHARS } from './limits.js';

/** A conversation, user or chat-request id. */
export const Id = Type.String({ minLength: 1, maxLength: MAX_ID_CHARS });

export const IdParams = Type.Object({ id: Id });
