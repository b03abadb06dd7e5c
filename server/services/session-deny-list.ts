/**
 * Sign-ins that ended before their access tokens did. A signed-out session's tokens are
 * refused until they would have expired anyway, then forgotten. Async so that a Redis
 * store (a key per session with a TTL) can stand in for this one.
 */
export interface SessionDenyList {
  deny(sessionId: string, untilMs: number): Promise<void>;
  isDenied(sessionId: string): Promise<boolean>;
}

export function createMemorySessionDenyList(now: () => number = Date.now): SessionDenyList {
  const denied = new Map<string, number>();
  const sweep = () => {
    for (const [id, until] of denied) if (until <= now()) denied.delete(id);
  };
  return {
    async deny(sessionId, untilMs) {
      denied.set(sessionId, Math.max(untilMs, denied.get(sessionId) ?? 0));
      if (denied.size % 1000 === 0) sweep();
    },
    async isDenied(sessionId) {
      const until = denied.get(sessionId);
      if (until === undefined) return false;
      if (until > now()) return true;
      denied.delete(sessionId);
      return false;
    },
  };
}
