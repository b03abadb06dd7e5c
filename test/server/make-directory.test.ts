import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { makeDirectory } from '../../server/make-directory.js';
import { tempDir } from '../helpers/app.js';

t.test('creates every missing level, and is content with one that exists', async (t) => {
  const dir = path.join(tempDir(t), 'a', 'b', 'c');
  makeDirectory(dir);
  makeDirectory(dir);
  t.ok(fs.statSync(dir).isDirectory());
});

t.test('a file in the way is an error', async (t) => {
  const file = path.join(tempDir(t), 'file');
  fs.writeFileSync(file, '');
  t.throws(() => makeDirectory(file), { code: 'EEXIST' });
  t.throws(() => makeDirectory(path.join(file, 'x')), { code: 'ENOTDIR' });
});

// Node's recursive mkdir spins here forever: /proc/1 exists, and mkdir below it says ENOENT.
t.test(
  'ENOENT below a parent that exists ends in an error',
  { skip: !fs.existsSync('/proc/1') && 'no /proc' },
  async (t) => {
    t.throws(() => makeDirectory('/proc/1/nope/deeper'), { code: 'ENOENT' });
  },
);
