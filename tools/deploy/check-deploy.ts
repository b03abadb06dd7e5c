/**
 * `npx tsx tools/deploy/check-deploy.ts` — checks the container setup without a Docker engine:
 * lints the Dockerfile (hadolint when installed, plus a built-in review of its main rules and
 * this project's needs), validates docker-compose.yml against the Compose Specification schema
 * and checks its limits add up to 4 vCPU / 16 GiB, and reviews .dockerignore and start:prod.
 * When a `docker compose` or `docker-compose` binary exists, its `config` check runs too.
 * Exits 1 when any check fails.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checkCompose } from './compose-check.js';
import { reviewDockerfile, reviewDockerignore } from './dockerfile-review.js';
import { finding, type Finding } from './findings.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs every check on the files under root. */
export function runDeployChecks(root = ROOT): Finding[] {
  const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  const pkg = JSON.parse(read('package.json')) as { scripts?: Record<string, string> };
  return [
    ...hadolint(root),
    ...reviewDockerfile(read('Dockerfile'), pkg.scripts?.['start:prod']),
    ...reviewDockerignore(read('.dockerignore')),
    ...checkCompose(read('docker-compose.yml')),
    ...composeCli(root),
    finding(
      'npm run start:prod is `node dist/server/main.js`',
      pkg.scripts?.['start:prod'] === 'node dist/server/main.js',
      pkg.scripts?.['start:prod'] ?? 'missing',
    ),
  ];
}

/** hadolint from PATH (e.g. `apt-get install hadolint` where Debian has it); skipped if absent. */
function hadolint(root: string): Finding[] {
  const run = spawnSync('hadolint', ['--no-color', 'Dockerfile'], { cwd: root, encoding: 'utf8' });
  if (run.error) return [finding('hadolint', true, 'not installed: the built-in review below covers its main rules')];
  return [finding('hadolint', run.status === 0, (run.stdout + run.stderr).trim() || 'no findings')];
}

/** `docker compose config -q` (or docker-compose v1) when a binary exists; it needs no engine. */
function composeCli(root: string): Finding[] {
  const candidates: [string, string[]][] = [
    ['docker', ['compose']],
    ['docker-compose', []],
  ];
  for (const [cmd, prefix] of candidates) {
    // `docker` may exist without its compose plugin: ask for the version first.
    const probe = spawnSync(cmd, [...prefix, 'version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) continue;
    const args = [...prefix, 'config', '--quiet'];
    const run = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
    return [finding(`${cmd} ${args.join(' ')}`, run.status === 0, run.stderr.trim() || 'valid')];
  }
  return [finding('docker compose config', true, 'no compose binary here: schema validation above stands in')];
}

function main(): void {
  const results = runDeployChecks();
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.check}${r.detail ? `  — ${r.detail}` : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\n${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) main();
