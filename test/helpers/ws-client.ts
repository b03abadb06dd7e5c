import WebSocket from 'ws';

export interface Frame {
  type: string;
  id?: string;
  [key: string]: unknown;
}

/** A real WebSocket client that records every frame and lets a test wait for the ones it wants. */
export class ChatClient {
  readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  static async connect(
    url: string,
    options: { token?: string; cookie?: string; origin?: string } = {},
  ): Promise<ChatClient> {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin) headers.origin = options.origin;
    const socket = new WebSocket(url, { headers });
    const client = new ChatClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    if (options.token) {
      client.send({ type: 'auth', token: options.token });
      await client.waitFor((f) => f.type === 'ready');
    }
    return client;
  }

  send(frame: object | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first recorded frame matching `match` (past or future). */
  async waitFor(match: (f: Frame) => boolean, timeoutMs = 60_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.closed)
        throw new Error(
          `socket closed (${this.closed.code}) while waiting; frames: ${JSON.stringify(this.frames.slice(-5))}`,
        );
      if (Date.now() > deadline) throw new Error(`timed out waiting; frames: ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the request's final frame (done or error) and returns all its frames in order. */
  async finished(id: string, timeoutMs?: number): Promise<Frame[]> {
    await this.waitFor((f) => f.id === id && (f.type === 'done' || f.type === 'error'), timeoutMs);
    return this.frames.filter((f) => f.id === id);
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }

  close(): void {
    this.socket.close();
  }
}

/** Sends a chat frame and waits for its end. */
export async function ask(client: ChatClient, id: string, content: string, extra: object = {}): Promise<Frame[]> {
  client.send({ type: 'chat', id, content, ...extra });
  return client.finished(id);
}
