/**
 * The production build (tsconfig.build.json, what `npm run build:server` compiles and the Docker
 * image ships) holds the server and its start scripts only: no benchmark, GGUF writer, deploy
 * checker or test code.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import t from 'tap';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const files = execFileSync(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--listFilesOnly'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((file) => path.relative(ROOT, path.resolve(ROOT, file.trim())).split(path.sep).join('/'))
  .filter((file) => !file.startsWith('node_modules/') && !file.startsWith('..'));

t.test('the build compiles the server, shared and the start scripts', async (t) => {
  t.ok(files.includes('server/main.ts'), 'server/main.ts');
  t.ok(files.includes('scripts/start.ts'), 'scripts/start.ts');
  t.ok(files.includes('scripts/model-pull.ts'), 'scripts/model-pull.ts');
});

t.test('nothing under tools/ or test/ is compiled into dist', async (t) => {
  const tooling = files.filter((file) => file.startsWith('tools/') || file.startsWith('test/'));
  t.same(tooling, [], 'no tools/ or test/ file in the build');
});

t.test('no benchmark, GGUF writer or deploy checker is compiled, wherever it lives', async (t) => {
  const named = files.filter((file) => /bench|gguf|deploy/i.test(path.basename(file)));
  t.same(named, [], 'no file named like bench, gguf or deploy');
});
