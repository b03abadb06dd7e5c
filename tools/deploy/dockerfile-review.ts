import { finding, SECRET_NAME, type Finding } from './findings.js';

/** One Dockerfile instruction with continuation lines joined. */
export interface Instruction {
  op: string;
  args: string;
  line: number;
}

interface Stage {
  image: string;
  name: string | null;
  body: Instruction[];
}

/** Splits a Dockerfile into instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    if (pending && line.startsWith('#')) return;
    if (!pending) start = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    const match = /^(\S+)\s*(.*)$/s.exec(full);
    if (match) out.push({ op: (match[1] ?? '').toUpperCase(), args: match[2] ?? '', line: start });
  });
  return out;
}

function stagesOf(instructions: Instruction[]): { args: Map<string, string>; stages: Stage[] } {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.op === 'FROM') {
      const [image = '', as, name] = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const resolved = image.replace(/\$\{?(\w+)\}?/g, (_, v: string) => args.get(v) ?? '');
      stages.push({ image: resolved, name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, body: [] });
    } else if (ins.op === 'ARG' && stages.length === 0) {
      const [key = '', value = ''] = ins.args.split('=');
      args.set(key.trim(), value.trim());
    } else {
      stages.at(-1)?.body.push(ins);
    }
  }
  return { args, stages };
}

/** A base image counts as pinned with a digest, or a tag that names a version (not latest). */
export function isPinnedImage(image: string, stageNames: string[]): boolean {
  if (stageNames.includes(image)) return true;
  if (image.includes('@sha256:')) return true;
  const tag = /:([^/]+)$/.exec(image)?.[1];
  return tag !== undefined && tag !== 'latest' && /\d/.test(tag);
}

/**
 * A built-in review of the Dockerfile against hadolint's main rules and this project's needs:
 * multi-stage, pinned bases, non-root runtime, HEALTHCHECK on /healthz, volumes, no secrets,
 * production-only dependencies, a CMD that is `startProd` (package.json's start:prod command)
 * in exec form, and no model download in the image.
 */
export function reviewDockerfile(text: string, startProd = 'node dist/server/main.js'): Finding[] {
  const instructions = parseDockerfile(text);
  const { stages } = stagesOf(instructions);
  const final = stages.at(-1);
  const names = stages.map((s) => s.name).filter((n): n is string => n !== null);
  const finalBody = final?.body ?? [];
  const ops = (op: string, body = finalBody) => body.filter((i) => i.op === op);
  const runs = instructions.filter((i) => i.op === 'RUN');
  const results: Finding[] = [];

  results.push(
    finding(
      'multi-stage build',
      stages.length >= 2 && final?.name !== 'build',
      `${stages.length} stages: ${stages.map((s) => s.name ?? s.image).join(', ')}`,
    ),
  );
  const unpinned = stages.filter((s) => !isPinnedImage(s.image, names)).map((s) => s.image || '(empty)');
  results.push(
    finding(
      'base images pinned (DL3006/DL3007)',
      unpinned.length === 0,
      unpinned.length
        ? `unpinned: ${unpinned.join(', ')}`
        : stages
            .map((s) => s.image)
            .filter((i) => !names.includes(i))
            .join(', '),
    ),
  );

  const lastUser = ops('USER').at(-1)?.args.trim();
  const nonRoot = lastUser !== undefined && !/^(root|0)(:|$)/.test(lastUser);
  results.push(
    finding(
      'runtime runs as a non-root user (DL3002)',
      nonRoot,
      lastUser ? `USER ${lastUser}` : 'no USER in the final stage',
    ),
  );

  const health = ops('HEALTHCHECK').at(-1)?.args ?? '';
  results.push(
    finding(
      'HEALTHCHECK probes /healthz',
      /\/healthz/.test(health) && !/^NONE/i.test(health),
      health || 'no HEALTHCHECK',
    ),
  );

  const secrets = instructions
    .filter((i) => i.op === 'ENV' || i.op === 'ARG')
    .flatMap((i) =>
      envPairs(i.args)
        .filter(([k, v]) => SECRET_NAME.test(k) && v !== '')
        .map(([k]) => `${i.op} ${k} (line ${i.line})`),
    );
  results.push(finding('no secrets baked in ENV/ARG', secrets.length === 0, secrets.join(', ') || 'none'));

  const env = new Map(ops('ENV').flatMap((i) => envPairs(i.args)));
  const volumes = ops('VOLUME')
    .map((i) => i.args)
    .join(' ');
  results.push(
    finding(
      'DATA_DIR=/data and MODELS_DIR=/models are volumes',
      env.get('DATA_DIR') === '/data' &&
        env.get('MODELS_DIR') === '/models' &&
        /\/data\b/.test(volumes) &&
        /\/models\b/.test(volumes),
      `ENV DATA_DIR=${env.get('DATA_DIR')} MODELS_DIR=${env.get('MODELS_DIR')}; VOLUME ${volumes}`,
    ),
  );

  const cmd = ops('CMD').at(-1)?.args ?? '';
  results.push(
    finding(
      'CMD runs the start:prod command itself, exec form (node gets SIGTERM)',
      execForm(cmd) === startProd,
      cmd || 'no CMD',
    ),
  );

  const prodInstall = runs.some((r) => /npm ci\b[^&|;]*--omit=dev/.test(r.args));
  const copiesModules = ops('COPY').some((c) => /--from=\S+\s+\S*node_modules/.test(c.args));
  const installsHere = ops('RUN').some((r) => /npm ci\b[^&|;]*--omit=dev/.test(r.args));
  results.push(
    finding(
      'runtime gets production dependencies only (npm ci --omit=dev)',
      prodInstall && (copiesModules || installsHere),
      prodInstall ? 'npm ci --omit=dev found' : 'no npm ci --omit=dev',
    ),
  );
  results.push(
    finding(
      'a build stage runs npm ci and npm run build',
      runs.some((r) => /npm ci\b(?![^&|;]*--omit=dev)/.test(r.args)) &&
        runs.some((r) => /npm run build\b/.test(r.args)),
    ),
  );

  const downloads = runs
    .filter((r) => /model-pull|model:pull|\.gguf|huggingface/i.test(r.args))
    .map((r) => `line ${r.line}`);
  results.push(
    finding(
      'the image never downloads a model',
      downloads.length === 0,
      downloads.join(', ') || 'no model fetch in RUN',
    ),
  );

  results.push(...aptFindings(runs), ...generalFindings(instructions));
  return results;
}

/** The command line of an exec-form CMD (`["node", "x.js"]` → `node x.js`); '' for shell form. */
function execForm(cmd: string): string {
  try {
    const parts: unknown = JSON.parse(cmd);
    return Array.isArray(parts) && parts.every((p) => typeof p === 'string') ? parts.join(' ') : '';
  } catch {
    return '';
  }
}

function aptFindings(runs: Instruction[]): Finding[] {
  const apt = runs.filter((r) => /apt-get install/.test(r.args));
  const unpinned = apt.flatMap((r) => aptPackages(r.args).filter((p) => !p.includes('=')));
  return [
    finding(
      'apt-get install uses --no-install-recommends (DL3015)',
      apt.every((r) => /--no-install-recommends/.test(r.args)),
    ),
    finding(
      'apt lists removed after install (DL3009)',
      apt.every((r) => /rm -rf \/var\/lib\/apt\/lists/.test(r.args)),
    ),
    finding(
      'apt packages pinned (DL3008)',
      unpinned.length === 0,
      unpinned.join(', ') || `${apt.length} install(s) pinned`,
    ),
    finding(
      'apt-get install is non-interactive (DL3014)',
      apt.every((r) => /install\s+(-\S*y|.*--yes)/.test(r.args) || / -y\b/.test(r.args)),
    ),
  ];
}

function aptPackages(args: string): string[] {
  const after = /apt-get install([^&|;]*)/.exec(args)?.[1] ?? '';
  return after.split(/\s+/).filter((w) => w && !w.startsWith('-'));
}

function generalFindings(instructions: Instruction[]): Finding[] {
  const workdirs = instructions.filter((i) => i.op === 'WORKDIR');
  const addUrls = instructions.filter((i) => i.op === 'ADD' && /https?:\/\//.test(i.args));
  const sudo = instructions.filter((i) => i.op === 'RUN' && /\bsudo\b/.test(i.args));
  const cdRuns = instructions.filter((i) => i.op === 'RUN' && /^cd\s/.test(i.args));
  return [
    finding(
      'WORKDIR paths are absolute (DL3000)',
      workdirs.every((w) => w.args.startsWith('/') || w.args.startsWith('$')),
    ),
    finding('no ADD of URLs (DL3020)', addUrls.length === 0),
    finding('no sudo (DL3004)', sudo.length === 0),
    finding('no `RUN cd` (DL3003: use WORKDIR)', cdRuns.length === 0),
  ];
}

/** KEY=value pairs of an ENV or ARG instruction (also the legacy `ENV KEY value` form). */
export function envPairs(args: string): [string, string][] {
  if (!args.includes('=')) {
    const [key = '', ...rest] = args.trim().split(/\s+/);
    return [[key, rest.join(' ')]];
  }
  const pairs: [string, string][] = [];
  for (const m of args.matchAll(/([A-Za-z_][\w]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    pairs.push([m[1] ?? '', (m[2] ?? '').replace(/^["']|["']$/g, '')]);
  }
  return pairs;
}

/** What .dockerignore must keep out of the build context. */
export function reviewDockerignore(text: string): Finding[] {
  const lines = new Set(
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  const required = ['node_modules', '.git', 'dist', 'data', '.env'];
  const missing = required.filter((r) => !lines.has(r) && !lines.has(`${r}/`) && !lines.has(`/${r}`));
  const modelsOut = lines.has('models/*') || lines.has('models/*.gguf') || lines.has('**/*.gguf');
  return [
    finding(
      '.dockerignore keeps node_modules, .git, dist, data and .env out',
      missing.length === 0,
      missing.length ? `missing: ${missing.join(', ')}` : '',
    ),
    finding('.dockerignore keeps model files out of the context', modelsOut),
  ];
}
