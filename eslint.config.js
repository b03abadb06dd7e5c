import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import fs from 'node:fs';

// --- Web app boundaries -------------------------------------------------------------------
// app/ composes pages/, which compose features/; features/ build on lib/ and components/.
// Nothing imports upwards, and a feature never imports another one: what features share
// belongs in lib/ or components/, or the page (or app/) composes them. Import strings are
// matched as written, so each rule lists the alias form (`@/x`) and the relative one.
// The feature list is read from the folder, so a new feature is covered without editing this.
const webFeatures = fs
  .readdirSync(new URL('./web/src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** Imports of these top-level web/src folders, by alias or by a relative path that climbs to them. */
const webFolderImports = (folders, message) => ({
  regex: `^(@/|(\\.\\./)+)(${folders.join('|')})(/|$)`,
  message,
});

const webBoundaries = [
  {
    files: ['web/src/lib/**/*.{ts,tsx}', 'web/src/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            webFolderImports(
              ['features', 'pages', 'app'],
              'lib/ and components/ serve every feature: they import no feature, page or app code (take hooks or props instead).',
            ),
          ],
        },
      ],
    },
  },
  ...webFeatures.map((feature) => {
    const others = webFeatures.filter((other) => other !== feature);
    return {
      files: [`web/src/features/${feature}/**/*.{ts,tsx}`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              webFolderImports(
                ['pages', 'app'],
                'A feature imports no page or app code: they compose features, not the other way round.',
              ),
              ...(others.length === 0
                ? []
                : [
                    {
                      // `@/features/x`, `../x` or `../../features/x` from inside this feature.
                      regex: `^(@/features/|((\\.\\./)+(features/)?))(${others.join('|')})(/|$)`,
                      message: `Features do not import each other (${feature} → another feature): move what they share to lib/ or components/, or let the page or app/ compose them.`,
                    },
                  ]),
            ],
          },
        ],
      },
    };
  }),
];
// --- end of web app boundaries ------------------------------------------------------------

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'web/dist/', 'data/', 'models/', '.tap/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  // --- Engine boundaries -------------------------------------------------------------------
  // server/engine/ is split by thread: host/ runs on the main thread, worker/ on the inference
  // thread, and the root holds engine.ts (the entrance) and the few modules both threads load.
  // The rest of the server sees the engine through engine.ts alone. Inside the engine, engine.ts
  // is imported for types only: it loads the host (createEngine), which would put the host's
  // modules on the inference thread, or close an import cycle on the main thread.
  ...engineBoundaries(),
  {
    files: ['scripts/**', 'tools/**', 'test/**', 'web/**'],
    rules: { 'no-console': 'off' },
  },
  ...webBoundaries,
);

/** The import rules that keep server/engine/'s threads apart (see the block above). */
function engineBoundaries() {
  const HOST = {
    regex: '(^|/)host/',
    message:
      "host/ is the main thread's side of the engine: worker/ and the modules both threads load may not import it.",
  };
  const WORKER = {
    regex: '(^|/)worker/',
    message:
      "worker/ is the inference thread's side: host/ starts its entry by URL (worker-host.ts) and imports none of it.",
  };
  const ENTRANCE_TYPES_ONLY = {
    regex: '(^|/)engine\\.js$',
    allowTypeImports: true,
    message:
      'Inside server/engine/, import engine.ts for types only (import type): it loads the host. EngineError is in engine-error.ts.',
  };
  const only = (...patterns) => ['error', { patterns }];
  return [
    {
      files: ['server/engine/worker/**/*.ts'],
      rules: {
        'no-restricted-imports': only(HOST),
        '@typescript-eslint/no-restricted-imports': only(ENTRANCE_TYPES_ONLY),
      },
    },
    {
      files: ['server/engine/host/**/*.ts'],
      rules: {
        'no-restricted-imports': only(WORKER),
        '@typescript-eslint/no-restricted-imports': only(ENTRANCE_TYPES_ONLY),
      },
    },
    {
      // The modules both threads load import neither side.
      files: ['server/engine/*.ts'],
      ignores: ['server/engine/engine.ts'],
      rules: {
        'no-restricted-imports': only(HOST, WORKER),
        '@typescript-eslint/no-restricted-imports': only(ENTRANCE_TYPES_ONLY),
      },
    },
    {
      files: ['server/**/*.ts'],
      ignores: ['server/engine/**'],
      rules: {
        'no-restricted-imports': only({
          regex: '(^|/)engine/(?!engine\\.js$)',
          message: 'Outside server/engine/, import the engine through engine.ts only.',
        }),
      },
    },
  ];
}
