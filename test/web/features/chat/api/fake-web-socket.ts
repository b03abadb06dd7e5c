/**
 * Stands in for the browser's WebSocket: records what the client sends and lets a test play
 * the server (`accept`, `receive`, `drop`). Every socket made is kept in `sockets`.
 */
export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static sockets: FakeWebSocket[] = [];

  readyState = FakeWebSocket.CONNECTING;
  readonly sent: unknown[] = [];
  closedByClient = false;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.sockets.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closedByClient = true;
    this.readyState = FakeWebSocket.CLOSED;
  }

  /** The upgrade succeeded and the server sent `ready`. */
  accept(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.receive({ type: 'ready', user: { id: 'u1', username: 'ada', role: 'user' } });
  }

  receive(frame: unknown): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The connection ended from the server's side (or the network's). */
  drop(code = 1006): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code });
  }

  static last(): FakeWebSocket {
    const socket = FakeWebSocket.sockets.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
}

/** Puts the fake (and `navigator.onLine`) where chat-socket.ts looks for them. */
export function installFakeWebSocket(): () => void {
  const g = globalThis as Record<string, unknown>;
  const saved = { WebSocket: g.WebSocket, navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator') };
  FakeWebSocket.sockets = [];
  g.WebSocket = FakeWebSocket;
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true, writable: true });
  return () => {
    g.WebSocket = saved.WebSocket;
    if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
    else delete g.navigator;
  };
}
