/** The browser's access token (HttpOnly, SameSite=Strict); Bearer clients never see it. */
export const ACCESS_COOKIE = 'access_token';
/** The browser's rotating refresh token, sent only to /api/auth. */
export const REFRESH_COOKIE = 'refresh_token';
