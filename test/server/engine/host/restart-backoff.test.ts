import t from 'tap';
import { RestartBackoff } from '../../../../server/engine/host/restart-backoff.js';

t.test('crashes are counted and a cancel ends the wait at once', async (t) => {
  const backoff = new RestartBackoff();
  backoff.started();
  const first = backoff.afterCrash();
  t.equal(backoff.restarts, 1);
  backoff.cancel();
  await first;
  const second = backoff.afterCrash();
  t.equal(backoff.restarts, 2);
  backoff.cancel();
  await second;
});

t.test('the first restart waits about half a second', async (t) => {
  const backoff = new RestartBackoff();
  backoff.started();
  const at = performance.now();
  await backoff.afterCrash();
  t.ok(performance.now() - at >= 450, 'waited the base delay');
});
