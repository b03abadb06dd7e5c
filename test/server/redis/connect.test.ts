import { once } from 'node:events';
import t from 'tap';
import { closeRedis, connectRedis } from '../../../server/redis/connect.js';

// The shared Redis every test run uses; this file only pings it.
const REDIS_URL = 'redis://127.0.0.1:6379';

t.test('a connected client answers, names itself and closes', async (t) => {
  const client = connectRedis(REDIS_URL, { timeoutMs: 500, name: 'pocketllm-connect-test' });
  await once(client, 'ready');
  t.equal(await client.ping(), 'PONG');
  t.equal(await client.client('GETNAME'), 'pocketllm-connect-test');
  await closeRedis(client);
  await t.rejects(client.ping(), 'closed for good');
});

t.test('without a connection, commands fail at once instead of queueing', async (t) => {
  // Port 1 refuses: nothing listens there.
  const client = connectRedis('redis://127.0.0.1:1', { timeoutMs: 100, name: 'pocketllm-connect-test' });
  client.on('error', () => undefined);
  await t.rejects(client.ping());
  // QUIT cannot be sent: the close still ends the client instead of hanging.
  await closeRedis(client);
  await t.rejects(client.ping(), 'closed for good');
});
