import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Above this many unsent bytes, token text is merged instead of queued frame by frame. */
export const HIGH_WATER_BYTES = 256 * 1024;
/** A reader this far behind is not reading at all: give up on it. */
export const GIVE_UP_BYTES = 16 * 1024 * 1024;

interface Frame {
  type: string;
  id?: string;
  text?: string;
  [field: string]: unknown;
}

/**
 * Sends frames with backpressure. While the socket's buffer is full, token frames of a request
 * are merged into one pending text (bounded by the answer's own length) and flushed when it
 * drains, before any later frame of that request, so order is kept and memory stays bounded.
 */
export function createFrameSender(socket: WebSocket, onOverflow: () => void) {
  const pendingText = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  const cork = corker(socket);

  const write = (frame: Frame) => {
    if (socket.readyState !== socket.OPEN) return;
    cork();
    socket.send(JSON.stringify(frame));
    if (socket.bufferedAmount > GIVE_UP_BYTES) onOverflow();
  };
  const flush = (id: string) => {
    const text = pendingText.get(id);
    if (text === undefined) return;
    pendingText.delete(id);
    write({ type: 'token', id, text });
  };
  const drainLater = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      if (socket.bufferedAmount > HIGH_WATER_BYTES) return drainLater();
      for (const id of [...pendingText.keys()]) flush(id);
    }, 50);
  };

  return {
    send(frame: Frame): void {
      const id = frame.id;
      if (frame.type === 'token' && id !== undefined && frame.text !== undefined) {
        if (pendingText.has(id) || socket.bufferedAmount > HIGH_WATER_BYTES) {
          pendingText.set(id, (pendingText.get(id) ?? '') + frame.text);
          return drainLater();
        }
      } else if (id !== undefined) {
        flush(id);
      }
      write(frame);
    },
    close(): void {
      clearTimeout(timer);
      pendingText.clear();
    },
  };
}

/**
 * Frames sent in the same tick leave in one write: a cached answer (start, text, done) costs
 * one syscall instead of one per frame, which under 8 sockets was the largest cost of a hit
 * after SQLite. ws has no cork of its own; its TCP socket (`_socket`, set once open) does.
 */
function corker(socket: WebSocket): () => void {
  let corked: Socket | null = null;
  const uncork = () => {
    corked?.uncork();
    corked = null;
  };
  return () => {
    const tcp = (socket as unknown as { _socket?: Socket })._socket;
    if (corked || !tcp) return;
    corked = tcp;
    tcp.cork();
    process.nextTick(uncork);
  };
}
