/** Counts open chat sockets per user for the admin's "active sessions" figures. */
export function createSessionTracker() {
  const socketsByUser = new Map<string, number>();
  let sockets = 0;
  return {
    open(userId: string): void {
      sockets += 1;
      socketsByUser.set(userId, (socketsByUser.get(userId) ?? 0) + 1);
    },
    close(userId: string): void {
      const left = (socketsByUser.get(userId) ?? 0) - 1;
      if (left < 0) return;
      sockets -= 1;
      if (left === 0) socketsByUser.delete(userId);
      else socketsByUser.set(userId, left);
    },
    stats: () => ({ activeSockets: sockets, activeUsers: socketsByUser.size }),
  };
}

export type SessionTracker = ReturnType<typeof createSessionTracker>;
