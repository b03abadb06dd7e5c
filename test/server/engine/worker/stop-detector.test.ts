import t from 'tap';
import { StopDetector } from '../../../../server/engine/worker/stop-detector.js';

const feed = (detector: StopDetector, chunks: string[]) => chunks.map((chunk) => detector.push(chunk));

t.test('a stop string split over chunks is held back, then swallowed', async (t) => {
  const detector = new StopDetector(['END']);
  t.same(feed(detector, ['Hello E', 'N', 'D and more']), [
    { text: 'Hello ', stopped: false },
    { text: '', stopped: false },
    { text: '', stopped: true },
  ]);
});

t.test('held text that turns out not to be a stop string is released in order', async (t) => {
  const detector = new StopDetector(['END', '</s>']);
  t.same(feed(detector, ['a E', 'Nx <', '/']), [
    { text: 'a ', stopped: false },
    { text: 'ENx ', stopped: false },
    { text: '', stopped: false },
  ]);
  t.equal(detector.flush(), '</', 'the end of the stream releases the rest');
});

t.test('the earliest of several stop strings wins', async (t) => {
  const detector = new StopDetector(['bb', 'a']);
  t.same(detector.push('xxbbya'), { text: 'xx', stopped: true });
});

t.test('no stop strings: text passes straight through', async (t) => {
  const detector = new StopDetector(['']);
  t.same(detector.push('anything'), { text: 'anything', stopped: false });
  t.equal(detector.flush(), '');
});
