import type { ClientFrame, ServerFrame } from '@shared/contract/chat-frames';
import type { ConnectionState } from '@/features/chat/stores/chat-store';

/** Close code the server uses for "authenticate again". */
export const CLOSE_UNAUTHENTICATED = 4401;
/** Reconnect delays grow from here… */
const BACKOFF_MIN_MS = 500;
/** …up to this. */
const BACKOFF_MAX_MS = 15_000;
/** An idle socket is probed this often; a silent peer is considered gone after PONG_TIMEOUT_MS. */
const PING_EVERY_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;

export interface ChatSocketHandlers {
  onFrame(frame: ServerFrame): void;
  onState(state: ConnectionState): void;
  /** The connection dropped: requests in flight on it are over. */
  onDrop(): void;
  /** The server refused the session: refresh it; resolve false when signing in again is needed. */
  onUnauthenticated(): Promise<boolean>;
}

/**
 * One chat WebSocket per tab, authenticated by the session cookie at the upgrade. Frames
 * sent while it is (re)connecting wait in an outbox until the server says `ready`.
 * After a drop it reconnects with jittered exponential backoff.
 */
export class ChatSocket {
  private ws: WebSocket | null = null;
  private ready = false;
  private wanted = false;
  private attempts = 0;
  private outbox: ClientFrame[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly handlers: ChatSocketHandlers,
    private readonly url = defaultUrl(),
  ) {}

  open(): void {
    this.wanted = true;
    if (!this.ws) this.connect();
  }

  close(): void {
    this.wanted = false;
    clearTimeout(this.retryTimer);
    this.teardown();
    this.outbox = [];
    this.handlers.onState('idle');
  }

  /** Sends now, or as soon as the socket is ready. */
  send(frame: ClientFrame): void {
    if (this.ready && this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
    else {
      this.outbox.push(frame);
      this.open();
    }
  }

  /** Drops a queued frame that was not sent yet (a Stop for a request still in the outbox). */
  unqueue(predicate: (frame: ClientFrame) => boolean): boolean {
    const before = this.outbox.length;
    this.outbox = this.outbox.filter((f) => !predicate(f));
    return this.outbox.length !== before;
  }

  /** True while the frame of this request waits in the outbox (never reached the server). */
  isQueued(requestId: string): boolean {
    return this.outbox.some((f) => 'id' in f && f.id === requestId);
  }

  /**
   * Renews the identity of an open socket with a fresh access token; `pending` goes out
   * after the server's `ready`, so it cannot race the auth check.
   */
  reauthenticate(token: string, pending: ClientFrame): void {
    this.outbox.push(pending);
    if (this.ready && this.ws?.readyState === WebSocket.OPEN) {
      this.ready = false;
      this.ws.send(JSON.stringify({ type: 'auth', token }));
    } else this.open();
  }

  /** Reconnect now instead of waiting for the backoff (the browser came back online). */
  retryNow(): void {
    if (!this.wanted || (this.ws && this.ws.readyState !== WebSocket.CLOSED)) return;
    this.connect();
  }

  private connect(): void {
    // A send during the backoff connects at once: the waiting retry would open a second socket.
    clearTimeout(this.retryTimer);
    this.handlers.onState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = (event) => void this.closed(ws, event.code);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    clearTimeout(this.pongTimer);
    if (frame.type === 'pong') return;
    if (frame.type === 'ready') this.becameReady();
    // Without an id, `unauthenticated` is followed by close 4401, handled there.
    if (frame.type === 'error' && frame.id === undefined && frame.code === 'unauthenticated') return;
    this.handlers.onFrame(frame);
  }

  private becameReady(): void {
    this.ready = true;
    this.attempts = 0;
    this.handlers.onState('open');
    const pending = this.outbox;
    this.outbox = [];
    for (const frame of pending) this.ws?.send(JSON.stringify(frame));
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.probe(), PING_EVERY_MS);
  }

  private probe(): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send(JSON.stringify({ type: 'ping' }));
    clearTimeout(this.pongTimer);
    // A dead network may never deliver a close event: give up on this socket ourselves.
    const ws = this.ws;
    this.pongTimer = setTimeout(() => void this.closed(ws, 1006), PONG_TIMEOUT_MS);
  }

  private async closed(ws: WebSocket | null, code: number): Promise<void> {
    if (ws === null || ws !== this.ws) return;
    const wasReady = this.ready;
    this.teardown();
    if (wasReady) this.handlers.onDrop();
    if (!this.wanted) return;
    if (code === CLOSE_UNAUTHENTICATED) {
      this.handlers.onState('reconnecting');
      if (!(await this.handlers.onUnauthenticated())) return this.close();
      // A fresh cookie: try at once, but count it so a refusing server is not hammered.
      this.attempts++;
      if (this.attempts <= 2) return this.connect();
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.attempts++;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.attempts - 1));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.handlers.onState(navigator.onLine === false ? 'offline' : 'reconnecting');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private teardown(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.ready = false;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onmessage = null;
      ws.onclose = null;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
    }
  }
}

function defaultUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/api/chat/ws`;
}
