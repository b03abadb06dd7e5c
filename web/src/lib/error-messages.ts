/**
 * What each error code means for the person in front of the screen: what happened and what
 * to do next. Codes whose server message is already specific (a validation detail, a name
 * that is taken, a wait time) keep the server's words.
 */
const FRIENDLY: Record<string, string> = {
  invalid_credentials: 'Wrong username or password. Check both and try again.',
  unauthenticated: 'Your session has ended. Sign in again to continue.',
  forbidden: 'You don’t have permission to do that. Ask an admin if you need access.',
  not_found: 'That item doesn’t exist any more. It may have been deleted.',
  payload_too_large: 'That is too large to send. Shorten it and try again.',
  unsupported_media_type: 'The app sent something the server did not understand. Reload the page and try again.',
  not_ready: 'The server is still starting up. Try again in a few seconds.',
  busy: 'The model is busy with other requests. Wait a moment, then try again.',
  context_overflow: 'This message is too long for the model’s context window. Shorten it or split it up.',
  model_unavailable:
    'The model isn’t loaded, so nobody can chat right now. An admin can check the Admin page or /readyz for the fix.',
  server_restarting: 'The server restarted; your answer was cut off. Regenerate it once the chat has reconnected.',
  internal: 'Something went wrong on the server. Try again; if it keeps happening, tell your admin.',
  network: 'Can’t reach the server. Check your connection and try again.',
};

/** Codes where the server's message carries the detail the user needs. */
const SERVER_SAYS_BEST = new Set(['bad_request', 'conflict', 'throttled']);

export function friendlyMessage(code: string, serverMessage?: string): string {
  if (serverMessage && (SERVER_SAYS_BEST.has(code) || !(code in FRIENDLY))) return serverMessage;
  return FRIENDLY[code] ?? serverMessage ?? 'Something went wrong. Try again.';
}
