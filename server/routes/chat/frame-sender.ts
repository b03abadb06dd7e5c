import type { WebSocket } from 'ws';

/** Above this many unsent bytes, token text is merged instead of queued frame by frame. */
export const HIGH_WATER_BYTES = 256 * 1024;
/** A reader this far behind is not reading at all: give up on it. */
export const GIVE_UP_BYTES = 16 * 1024 * 1024;

interface Frame { type: string; id?: string; text?: string; [field: string]: unknown }

/**
 * Sends frames with backpressure. While the socket's buffer is full, token frames of a request
 * are merged into one pending text (bounded by the answer's own length) and flushed when it
 * drains, before any later frame of that request, so order is kept and memory stays bounded.
 */
export function createFrameSender(socket: WebSocket, onOverflow: () => void) {
  const pendingText = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;

  const write = (frame: Frame) => {
    if (socket.readyState !== socket.OPEN) return;
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
