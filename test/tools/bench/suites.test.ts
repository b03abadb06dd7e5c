import { spawnSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';
import { DEFAULT_SUITE, pickSuite, SUITES, suiteList } from '../../../tools/bench/suites.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

t.test('npm run bench -- <suite> knows every suite the docs name', async (t) => {
  t.same(Object.keys(SUITES).sort(), ['cache', 'db', 'depth', 'full', 'quick', 'threads']);
  t.equal(DEFAULT_SUITE, 'full');
});

t.test('the suite is the first argument; options alone run the default', async (t) => {
  t.same(pickSuite([]), { name: 'full', suite: SUITES.full, rest: [] });
  t.same(pickSuite(['--model', 'x.gguf']), { name: 'full', suite: SUITES.full, rest: ['--model', 'x.gguf'] });
  t.same(pickSuite(['depth', '--threads', '1']), { name: 'depth', suite: SUITES.depth, rest: ['--threads', '1'] });
  t.equal(pickSuite(['nope']).suite, undefined);
  t.equal(pickSuite(['toString']).suite, undefined, 'no inherited property counts as a suite');
});

t.test('an unknown suite prints the list and exits non-zero', async (t) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'tools/bench/index.ts', 'nope'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(run.status, 1);
  t.match(run.stderr, /Unknown bench suite "nope"/);
  for (const name of Object.keys(SUITES)) t.match(run.stderr, new RegExp(`^  ${name} `, 'm'), `lists ${name}`);
  t.match(suiteList(), /full .*\(the default\)/);
});
