import t from 'tap';
import { FlushGuard } from '../../../server/cache/flush-guard.js';

t.test('a read sees a flush that started, ran or ended after its mark', async (t) => {
  const guard = new FlushGuard();
  const before = guard.mark();
  t.notOk(before.flushedSince(), 'nothing flushed yet');
  let finish: () => void = () => undefined;
  const flushing = guard.run(() => new Promise<number>((resolve) => (finish = () => resolve(3))));
  t.ok(before.flushedSince(), 'a flush started after the mark');
  const during = guard.mark();
  t.ok(during.flushedSince(), 'a flush was running at the mark');
  finish();
  t.equal(await flushing, 3, 'the flush result is passed through');
  const after = guard.mark();
  t.notOk(after.flushedSince(), 'a mark after the flush ended sees none');
});

t.test('a failed flush still ends', async (t) => {
  const guard = new FlushGuard();
  await t.rejects(guard.run(() => Promise.reject(new Error('boom'))));
  t.notOk(guard.mark().flushedSince());
});
