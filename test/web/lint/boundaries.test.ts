import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const eslint = new ESLint({ cwd: repoRoot });

/** The `no-restricted-imports` messages ESLint reports for `code` placed at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const uses = (specifier: string) => `import { x } from '${specifier}';\nexport const y = x;\n`;

t.test('a feature may not import another feature', async (t) => {
  for (const specifier of [
    '@/features/conversations/stores/conversations-store',
    '../../conversations/api/conversations-api',
    '../../../features/auth/stores/auth-store',
  ]) {
    const errors = await boundaryErrors('web/src/features/chat/api/x.ts', uses(specifier));
    t.equal(errors.length, 1, specifier);
    t.match(errors[0], /Features do not import each other/);
  }
});

t.test('lib/ and components/ may not import features, pages or app', async (t) => {
  t.match(await boundaryErrors('web/src/lib/x.ts', uses('@/features/auth/stores/auth-store')), [
    /lib\/ and components\//,
  ]);
  t.match(await boundaryErrors('web/src/lib/x.ts', uses('../features/chat/stores/chat-store')), [
    /lib\/ and components\//,
  ]);
  t.match(await boundaryErrors('web/src/components/ui/x.tsx', uses('@/pages/chat-page')), [/lib\/ and components\//]);
  t.match(await boundaryErrors('web/src/components/ui/x.tsx', uses('@/app/router')), [/lib\/ and components\//]);
});

t.test('a feature may not import pages or app', async (t) => {
  t.match(await boundaryErrors('web/src/features/admin/components/x.tsx', uses('@/pages/admin-page')), [
    /no page or app code/,
  ]);
  t.match(await boundaryErrors('web/src/features/admin/components/x.tsx', uses('../../../app/guards')), [
    /no page or app code/,
  ]);
});

t.test('imports along the layers are allowed', async (t) => {
  const allowed: [string, string][] = [
    ['web/src/features/chat/api/x.ts', '@/features/chat/stores/chat-store'],
    ['web/src/features/chat/api/x.ts', '../stores/chat-store'],
    ['web/src/features/chat/api/x.ts', '@/lib/api-client'],
    ['web/src/features/chat/components/x.tsx', '@/components/ui/icon'],
    ['web/src/lib/x.ts', './error-messages'],
    ['web/src/pages/x.tsx', '@/features/conversations/stores/conversations-store'],
    ['web/src/app/x.tsx', '@/features/auth/stores/auth-store'],
  ];
  for (const [filePath, specifier] of allowed)
    t.same(await boundaryErrors(filePath, uses(specifier)), [], `${filePath} → ${specifier}`);
});

t.test('every feature folder gets its own block, read from the folder', async (t) => {
  const features = fs
    .readdirSync(path.join(repoRoot, 'web/src/features'), { withFileTypes: true })
    .filter((e) => e.isDirectory());
  t.ok(features.length > 1);
  for (const { name } of features) {
    const config = (await eslint.calculateConfigForFile(`web/src/features/${name}/x.ts`)) as {
      rules: Record<string, unknown>;
    };
    const others = features.map((f) => f.name).filter((other) => other !== name);
    t.match(JSON.stringify(config.rules['no-restricted-imports']), `(${others.join('|')})`, name);
  }
});
