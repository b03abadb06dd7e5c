/**
 * The engine's one error type. It lives beside engine.ts rather than in it because both threads
 * throw it — the worker (a message too long for the context) and the host (a full queue, no
 * model, a crashed worker) — and the worker must not load engine.ts, which starts the host.
 * It crosses the thread boundary as its code and message (protocol.ts, `failed`).
 */

/** `invalid_grammar`: the requested JSON schema cannot be turned into a grammar. */
export type EngineErrorCode = 'context_overflow' | 'invalid_grammar' | 'busy' | 'model_unavailable' | 'internal';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
