/** Why a model download failed; each code has a message that says what to do next. */
export type DownloadErrorCode =
  | 'offline' // the host could not be reached at all
  | 'http' // the server answered with an error status (404, 500…)
  | 'interrupted' // the connection broke; the .part file is kept for a resume
  | 'checksum' // the bytes are not the published file; the .part file was deleted
  | 'aborted' // the caller cancelled; the .part file is kept
  | 'io'; // the local disk refused (permissions, space)

export class ModelDownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    /** HTTP status for code 'http'. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelDownloadError';
  }
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** The system error code buried in a fetch failure (fetch wraps it in `cause`, sometimes twice). */
export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** fetch says only "fetch failed"; the reason (e.g. "bad port") sits in its cause chain. */
function innermostMessage(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined;
  let message = String(current?.message ?? error);
  for (let depth = 0; depth < 4 && current?.cause; depth++) {
    current = current.cause as { message?: string; cause?: unknown };
    if (current?.message) message = current.message;
  }
  return message;
}

/** Turns a failure to connect into an 'offline' error naming the host and the reason. */
export function connectError(url: string, error: unknown): ModelDownloadError {
  const code = networkCode(error);
  const reason = (code && NETWORK_CODES[code]) ?? code ?? innermostMessage(error);
  return new ModelDownloadError(
    'offline',
    `Cannot reach ${new URL(url).host} (${reason}). Check the network connection and try again.`,
  );
}
