import path from 'node:path';
import { ESLint } from 'eslint';
import t from 'tap';

// The engine's import rules (eslint.config.js, "Engine boundaries"), linted on snippets placed
// where they would live: each rule reports the import it forbids and lets the allowed one pass.
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

t.test('worker/ may not import host/', async (t) => {
  const file = 'server/engine/worker/x.ts';
  t.match(await restrictedImports(file, "import { WorkerEngine } from '../host/engine-client.js';"), [
    /may not import it/,
  ]);
  t.match(await restrictedImports(file, "import { InFlight } from '../../engine/host/in-flight.js';"), [
    /may not import it/,
  ]);
  t.same(await restrictedImports(file, "import { StopDetector } from './stop-detector.js';"), []);
  t.same(await restrictedImports(file, "import { now } from '../protocol.js';"), []);
});

t.test('host/ may not import worker/', async (t) => {
  const file = 'server/engine/host/x.ts';
  t.match(await restrictedImports(file, "import { StopDetector } from '../worker/stop-detector.js';"), [
    /imports none of it/,
  ]);
  t.same(await restrictedImports(file, "import { Worker } from 'node:worker_threads';"), []);
  t.same(await restrictedImports(file, "import { FairScheduler } from './scheduler.js';"), []);
});

t.test('the modules both threads load import neither side', async (t) => {
  const file = 'server/engine/y.ts';
  t.match(await restrictedImports(file, "import { InFlight } from './host/in-flight.js';"), [/may not import it/]);
  t.match(await restrictedImports(file, "import { StopDetector } from './worker/stop-detector.js';"), [
    /imports none of it/,
  ]);
  t.same(await restrictedImports(file, "import { EngineError } from './engine-error.js';"), []);
});

t.test('inside the engine, engine.ts is imported for types only', async (t) => {
  for (const file of ['server/engine/worker/x.ts', 'server/engine/host/x.ts', 'server/engine/y.ts']) {
    const from = file === 'server/engine/y.ts' ? './engine.js' : '../engine.js';
    t.match(await restrictedImports(file, `import { EngineError } from '${from}';`), [/types only/], file);
    t.same(await restrictedImports(file, `import type { ChatTurn } from '${from}';`), [], file);
    t.same(await restrictedImports(file, `import { type ChatTurn } from '${from}';`), [], file);
  }
  t.same(
    await restrictedImports('server/engine/engine.ts', "import { WorkerEngine } from './host/engine-client.js';"),
    [],
  );
});

t.test('the rest of the server imports the engine through engine.ts only', async (t) => {
  t.match(
    await restrictedImports('server/plugins/x.ts', "import { WorkerEngine } from '../engine/host/engine-client.js';"),
    [/engine\.ts only/],
  );
  t.match(await restrictedImports('server/routes/chat/x.ts', "import { now } from '../../engine/protocol.js';"), [
    /engine\.ts only/,
  ]);
  t.match(
    await restrictedImports(
      'server/services/x.ts',
      "import { StopDetector } from '../engine/worker/stop-detector.js';",
    ),
    [/engine\.ts only/],
  );
  t.same(await restrictedImports('server/plugins/x.ts', "import { createEngine } from '../engine/engine.js';"), []);
  t.same(
    await restrictedImports('server/routes/chat/x.ts', "import { EngineError } from '../../engine/engine.js';"),
    [],
  );
});
