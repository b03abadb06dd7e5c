import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { runDeployChecks } from '../../../tools/deploy/check-deploy.js';
import { checkCompose, parseBytes } from '../../../tools/deploy/compose-check.js';
import { parseDockerfile, reviewDockerfile, reviewDockerignore } from '../../../tools/deploy/dockerfile-review.js';
import type { Finding } from '../../../tools/deploy/findings.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DOCKERFILE = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const COMPOSE = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');

const failed = (results: Finding[]) => results.filter((r) => !r.ok).map((r) => r.check);

t.test('the shipped Dockerfile, compose file and .dockerignore pass every check', async (t) => {
  const results = runDeployChecks(ROOT);
  t.ok(results.length > 25, `${results.length} checks ran`);
  t.same(
    failed(results),
    [],
    results
      .filter((r) => !r.ok)
      .map((r) => `${r.check}: ${r.detail}`)
      .join('\n'),
  );
});

t.test('the Dockerfile review catches what it is there for', async (t) => {
  const broken = DOCKERFILE.replace('USER node', 'USER root')
    .replace(/HEALTHCHECK[^\n]*\\\n[^\n]*\n/, '')
    .replace('ARG NODE_IMAGE=node:20.20.2-bookworm-slim', 'ARG NODE_IMAGE=node:latest')
    .replace('ENV NODE_ENV=production \\', 'ENV NODE_ENV=production JWT_SECRET=hunter2hunter2 \\')
    .replace('--omit=dev', '')
    .replace('python3=3.11.*', 'python3')
    .replace(
      'CMD ["node", "dist/server/main.js"]',
      'RUN node dist/scripts/model-pull.js\nCMD ["npm", "run", "start:prod"]',
    );
  t.same(
    failed(reviewDockerfile(broken)).sort(),
    [
      'CMD runs the start:prod command itself, exec form (node gets SIGTERM)',
      'HEALTHCHECK probes /healthz',
      'apt packages pinned (DL3008)',
      'base images pinned (DL3006/DL3007)',
      'no secrets baked in ENV/ARG',
      'runtime gets production dependencies only (npm ci --omit=dev)',
      'runtime runs as a non-root user (DL3002)',
      'the image never downloads a model',
    ].sort(),
  );
  t.same(
    failed(reviewDockerfile('FROM node:20.20.2-bookworm-slim\nCMD ["node", "dist/server/main.js"]\n')).includes(
      'multi-stage build',
    ),
    true,
  );
  t.ok(
    failed(
      reviewDockerfile(DOCKERFILE.replace('CMD ["node", "dist/server/main.js"]', 'CMD node dist/server/main.js')),
    ).includes('CMD runs the start:prod command itself, exec form (node gets SIGTERM)'),
    'shell form would put sh in front of node',
  );
});

t.test('Dockerfile parsing joins continuations and skips comments', async (t) => {
  const parsed = parseDockerfile(
    '# c\nFROM a:1 AS x\nRUN a \\\n  # inner comment\n  && b\nENV A=1 \\\n    B="two words"\n',
  );
  t.same(
    parsed.map((i) => [i.op, i.args, i.line]),
    [
      ['FROM', 'a:1 AS x', 2],
      ['RUN', 'a && b', 3],
      ['ENV', 'A=1 B="two words"', 6],
    ],
  );
});

t.test('the compose check catches limits, schema errors, Redis flags and literal secrets', async (t) => {
  t.equal(parseBytes('15.5g'), 15.5 * 1024 ** 3);
  t.equal(parseBytes('512m'), 512 * 1024 ** 2);
  t.equal(parseBytes('lots'), null);

  const tooBig = COMPOSE.replace('cpus: "3.5"', 'cpus: "4"');
  t.same(failed(checkCompose(tooBig)), [
    'each service has the planned CPU and memory limits',
    'limits add up to the 4 vCPU / 16 GiB envelope',
  ]);
  const unknownKey = COMPOSE.replace('    init: true\n', '    init: true\n    cpu_wishes: 9\n');
  t.same(failed(checkCompose(unknownKey)), ['docker-compose.yml matches the Compose Specification schema']);
  t.match(checkCompose(unknownKey)[0]?.detail, /cpu_wishes/);
  const persistent = COMPOSE.replace('"--appendonly", "no"', '"--appendonly", "yes"').replace(
    'restart: unless-stopped',
    'restart: always',
  );
  t.same(failed(checkCompose(persistent)), [
    'Redis: maxmemory 256mb, allkeys-lru, no persistence',
    'every service restarts unless-stopped',
  ]);
  const secret = COMPOSE.replace('JWT_SECRET: ${JWT_SECRET:-}', 'JWT_SECRET: my-very-secret-signing-key-123456');
  t.same(failed(checkCompose(secret)), ['no literal secrets in the compose file']);
  t.same(failed(checkCompose('services: [')), ['docker-compose.yml is valid YAML']);
});

t.test('.dockerignore must keep secrets, data and models out of the build context', async (t) => {
  t.same(failed(reviewDockerignore('node_modules\n.git\ndist\ndata\n.env\nmodels/*\n')), []);
  t.same(failed(reviewDockerignore('node_modules\n')), [
    '.dockerignore keeps node_modules, .git, dist, data and .env out',
    '.dockerignore keeps model files out of the context',
  ]);
});
