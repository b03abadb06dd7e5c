import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import t, { type Test } from 'tap';
import WebSocket, { WebSocketServer } from 'ws';
import { createFrameSender } from '../../../../server/routes/chat/frame-sender.js';

/** A real socket pair; counts the writes the server's TCP socket hands to the kernel. */
async function socketPair(t: Test) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const [serverSide] = (await once(server, 'connection')) as [WebSocket];
  await once(client, 'open');
  t.teardown(() => {
    client.close();
    server.close();
  });
  type Write = (...args: unknown[]) => unknown;
  const tcp = (serverSide as unknown as { _socket: Socket & { _write: Write; _writev: Write } })._socket;
  const writes = { count: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = tcp[method].bind(tcp);
    tcp[method] = (...args: unknown[]) => {
      writes.count++;
      return original(...args);
    };
  }
  const received: Array<{ type: string; id?: string; text?: string }> = [];
  client.on('message', (data) => received.push(JSON.parse(data.toString())));
  return { serverSide, writes, received };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

t.test('frames sent in one tick leave in one write, in order; later ticks write again', async (t) => {
  const { serverSide, writes, received } = await socketPair(t);
  const sender = createFrameSender(serverSide, () => t.fail('no overflow'));
  sender.send({ type: 'start', id: 'a' });
  sender.send({ type: 'token', id: 'a', text: 'Hello' });
  sender.send({ type: 'done', id: 'a' });
  await tick();
  t.equal(writes.count, 1, 'start, token and done: one write');

  sender.send({ type: 'pong' });
  await tick();
  sender.send({ type: 'pong' });
  await tick();
  t.equal(writes.count, 3, 'frames of separate ticks are not held back');

  while (received.length < 5) await tick();
  t.same(
    received.map((f) => f.type),
    ['start', 'token', 'done', 'pong', 'pong'],
  );
  t.equal(received[1]!.text, 'Hello');
});
