/** Why the server ended a socket's access: its user was disabled or deleted, or its sign-in ended. */
export type AccessEnd = 'disabled' | 'deleted' | 'signed_out' | 'revoked';

/** An open chat socket as the tracker knows it; `end` closes it and stops its answers. */
export interface TrackedSocket {
  readonly userId: string;
  /** The sign-in (refresh-token family) its access token belongs to, when the token names one. */
  sessionId: string | undefined;
  end(reason: AccessEnd): void;
}

/**
 * The open chat sockets, by user and sign-in: counts them for the admin's "active sessions"
 * figures, and ends them when their access ends (a socket authenticates once, so without this
 * it would outlive a disabled user or a signed-out session).
 */
export function createSessionTracker() {
  const sockets = new Set<TrackedSocket>();
  const endAll = (match: (socket: TrackedSocket) => boolean, reason: AccessEnd): number => {
    const ended = [...sockets].filter(match);
    for (const socket of ended) {
      sockets.delete(socket);
      socket.end(reason);
    }
    return ended.length;
  };
  return {
    open(socket: TrackedSocket): void {
      sockets.add(socket);
    },
    close(socket: TrackedSocket): void {
      sockets.delete(socket);
    },
    /** Ends every socket of the user; returns how many. */
    closeUser: (userId: string, reason: AccessEnd): number => endAll((s) => s.userId === userId, reason),
    /** Ends every socket of the sign-in; returns how many. */
    closeSession: (sessionId: string, reason: AccessEnd): number => endAll((s) => s.sessionId === sessionId, reason),
    stats: () => ({ activeSockets: sockets.size, activeUsers: new Set([...sockets].map((s) => s.userId)).size }),
  };
}

export type SessionTracker = ReturnType<typeof createSessionTracker>;
