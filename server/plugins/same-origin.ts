import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { forbidden } from '../errors.js';

/**
 * A browser's Origin must be the portal's own (its Host) or PUBLIC_ORIGIN. Requests without
 * one (scripts, curl, same-origin navigations) pass: only browsers send it, and they always do
 * on cross-site requests.
 */
export function originAllowed(request: FastifyRequest, config: Pick<Config, 'publicOrigin'>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (config.publicOrigin && origin === new URL(config.publicOrigin).origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * Defence in depth beside SameSite=Strict: a request that carries cookies from another site's
 * page is refused before any route sees it.
 */
export function refuseCrossSiteCookies(config: Pick<Config, 'publicOrigin'>) {
  return async (request: FastifyRequest) => {
    if (request.headers.cookie && !originAllowed(request, config)) {
      throw forbidden('This request came from another site (cross-site Origin) and was refused.');
    }
  };
}
