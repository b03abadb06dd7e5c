/**
 * A real WebSocket chat client (API.md's protocol) that stamps every frame on arrival, so the
 * portal's figures are measured as a user's client sees them.
 */
import WebSocket from 'ws';
import type { ChatOptions } from '../../shared/contract/chat-frames.js';

interface Frame {
  type: string;
  id?: string;
  [field: string]: unknown;
}

export interface DoneFrame extends Frame {
  type: 'done';
  finishReason: 'stop' | 'length' | 'abort';
  cached: boolean;
  usage: { promptTokens: number; completionTokens: number; cachedPromptTokens?: number };
  timings: { queueMs: number; ttftMs: number; totalMs: number; tokensPerSecond: number };
}

/** One request's client-side times (performance.now, ms) and its final frame. */
export interface TimedAnswer {
  sentAt: number;
  firstTokenAt: number | null;
  lastTokenAt: number | null;
  endAt: number;
  tokenFrames: number;
  text: string;
  conversationId: string | null;
  done: DoneFrame | null;
  error: { code: string; message: string } | null;
}

interface Pending {
  answer: TimedAnswer;
  resolve(answer: TimedAnswer): void;
}

export type { ChatOptions };

export class TimedClient {
  private readonly pending = new Map<string, Pending>();
  private readonly pongs: Array<(at: number) => void> = [];
  private nextId = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(performance.now(), JSON.parse(data.toString()) as Frame));
    socket.on('close', () => {
      for (const [id, p] of this.pending)
        this.finish(id, p, performance.now(), { code: 'closed', message: 'the socket closed' });
    });
  }

  /** Opens the socket and authenticates with an access token (the non-browser way). */
  static async connect(url: string, token: string, timeoutMs = 10_000): Promise<TimedClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection to ${url} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', reject);
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ready frame after auth')), timeoutMs);
      socket.once('message', (data) => {
        clearTimeout(timer);
        const frame = JSON.parse(data.toString()) as Frame;
        if (frame.type === 'ready') resolve();
        else reject(new Error(`auth refused: ${JSON.stringify(frame)}`));
      });
    });
    socket.send(JSON.stringify({ type: 'auth', token }));
    await ready;
    return new TimedClient(socket);
  }

  /** Sends one chat frame and resolves at its done or error frame (or after `timeoutMs`). */
  chat(content: string, options: ChatOptions, conversationId?: string, timeoutMs = 120_000): Promise<TimedAnswer> {
    return this.request({ content, options, ...(conversationId ? { conversationId } : {}) }, conversationId, timeoutMs);
  }

  /** Asks for the conversation's last answer again (the prompt is the one it last evaluated). */
  regenerate(conversationId: string, options: ChatOptions, timeoutMs = 120_000): Promise<TimedAnswer> {
    return this.request({ conversationId, regenerate: true, options }, conversationId, timeoutMs);
  }

  private request(
    frame: Record<string, unknown>,
    conversationId: string | undefined,
    timeoutMs: number,
  ): Promise<TimedAnswer> {
    const id = `b${++this.nextId}`;
    const answer: TimedAnswer = {
      sentAt: 0,
      firstTokenAt: null,
      lastTokenAt: null,
      endAt: 0,
      tokenFrames: 0,
      text: '',
      conversationId: conversationId ?? null,
      done: null,
      error: null,
    };
    return new Promise((resolve) => {
      const pending = { answer, resolve };
      this.pending.set(id, pending);
      const timer = setTimeout(() => {
        this.socket.send(JSON.stringify({ type: 'stop', id }));
        this.finish(id, pending, performance.now(), { code: 'timeout', message: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      pending.resolve = (a) => {
        clearTimeout(timer);
        resolve(a);
      };
      answer.sentAt = performance.now();
      this.socket.send(JSON.stringify({ type: 'chat', id, ...frame }));
    });
  }

  /** One ping → pong round trip in ms: the transport's floor under the same load. */
  ping(): Promise<number> {
    const sentAt = performance.now();
    return new Promise((resolve) => {
      this.pongs.push((at) => resolve(at - sentAt));
      this.socket.send(JSON.stringify({ type: 'ping' }));
    });
  }

  close(): void {
    this.socket.close();
  }

  private receive(at: number, frame: Frame): void {
    if (frame.type === 'pong') return this.pongs.shift()?.(at);
    const pending = frame.id === undefined ? undefined : this.pending.get(frame.id);
    if (pending === undefined || frame.id === undefined) return;
    const { answer } = pending;
    if (frame.type === 'start') answer.conversationId = String(frame.conversationId);
    else if (frame.type === 'token') {
      answer.firstTokenAt ??= at;
      answer.lastTokenAt = at;
      answer.tokenFrames++;
      answer.text += String(frame.text);
    } else if (frame.type === 'done') {
      answer.done = frame as DoneFrame;
      this.finish(frame.id, pending, at, null);
    } else if (frame.type === 'error') {
      this.finish(frame.id, pending, at, { code: String(frame.code), message: String(frame.message) });
    }
  }

  private finish(id: string, pending: Pending, at: number, error: TimedAnswer['error']): void {
    if (!this.pending.delete(id)) return;
    pending.answer.endAt = at;
    pending.answer.error = error;
    pending.resolve(pending.answer);
  }
}
