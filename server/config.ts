import os from 'node:os';
import path from 'node:path';
import { MAX_ANSWER_TOKENS, MIN_PASSWORD_CHARS, USERNAME_PATTERN } from '../shared/contract/limits.js';

/** The parsed, validated configuration. Every field comes from one environment variable. */
export interface Config {
  /** PORT. Defaults to 3000. */
  port: number;
  /** HOST. Defaults to 0.0.0.0. */
  host: string;
  /** DATA_DIR: the SQLite file and generated secrets. Defaults to ./data. */
  dataDir: string;
  /** MODEL_PATH: a GGUF file. Defaults to the catalog's default model in MODELS_DIR. */
  modelPath: string | undefined;
  /** MODELS_DIR: downloaded models. Defaults to ./models. */
  modelsDir: string;
  /** CONTEXT_SIZE: tokens per conversation. Defaults to 2048. */
  contextSize: number;
  /** PARALLEL: sequences decoded together. Defaults to 4. */
  parallel: number;
  /** THREADS: inference threads. Defaults to the number of cores. */
  threads: number;
  /** MAX_QUEUE: requests waiting for a sequence before `busy`. Defaults to 32. */
  maxQueue: number;
  /** MAX_PER_USER: requests one user may have queued and running at once, across sockets. Defaults to 4. */
  maxPerUser: number;
  /** MAX_TOKENS: answer budget reserved in the context and default maxTokens. Defaults to 512. */
  maxTokens: number;
  /** MAX_MESSAGE_CHARS: longest accepted chat message. Defaults to 32000. */
  maxMessageChars: number;
  /** REDIS_URL: unset means the in-process LRU cache only. */
  redisUrl: string | undefined;
  /** CACHE_TTL_SEC: response cache lifetime. Defaults to 3600. */
  cacheTtlSec: number;
  /** CACHE_MEMORY_MB: byte bound of the in-process cache tier; 0 turns it off. Defaults to 64. */
  cacheMemoryMb: number;
  /** JWT_SECRET: signs tokens. Defaults to a secret generated once into DATA_DIR. */
  jwtSecret: string | undefined;
  /** ADMIN_USERNAME / ADMIN_PASSWORD: create this admin at start if no user exists. */
  adminUsername: string | undefined;
  adminPassword: string | undefined;
  /** METRICS_TOKEN: Bearer token that opens /metrics to non-loopback callers. */
  metricsToken: string | undefined;
  /** PUBLIC_ORIGIN: extra allowed browser Origin (e.g. behind a proxy). Defaults to the Host's own. */
  publicOrigin: string | undefined;
  /** COOKIE_SECURE: mark cookies Secure (set when served over HTTPS). Defaults to false. */
  cookieSecure: boolean;
  /** RATE_LIMIT_PER_MINUTE: REST requests per minute per client address; 0 turns it off. Defaults to 600. */
  rateLimitPerMinute: number;
  /** SHUTDOWN_GRACE_MS: how long running answers may finish after SIGTERM before they are cut. Defaults to 10000. */
  shutdownGraceMs: number;
  /** LOG_LEVEL: pino level. Defaults to info. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = createReader(env, problems);
  const config: Config = {
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    dataDir: path.resolve(read.string('DATA_DIR', './data')),
    modelPath: read.optionalPath('MODEL_PATH'),
    modelsDir: path.resolve(read.string('MODELS_DIR', './models')),
    contextSize: read.int('CONTEXT_SIZE', 2048, 128, 131072),
    parallel: read.int('PARALLEL', 4, 1, 64),
    threads: read.int('THREADS', Math.max(1, os.availableParallelism()), 1, 256),
    maxQueue: read.int('MAX_QUEUE', 32, 0, 10000),
    maxPerUser: read.int('MAX_PER_USER', 4, 1, 10000),
    maxTokens: read.int('MAX_TOKENS', 512, 1, MAX_ANSWER_TOKENS),
    maxMessageChars: read.int('MAX_MESSAGE_CHARS', 32000, 1, 1_000_000),
    redisUrl: read.optionalUrl('REDIS_URL', ['redis:', 'rediss:']),
    cacheTtlSec: read.int('CACHE_TTL_SEC', 3600, 1, 31_536_000),
    cacheMemoryMb: read.int('CACHE_MEMORY_MB', 64, 0, 65536),
    jwtSecret: read.optionalSecret('JWT_SECRET', 32),
    adminUsername: read.optional('ADMIN_USERNAME'),
    adminPassword: read.optional('ADMIN_PASSWORD'),
    metricsToken: read.optionalSecret('METRICS_TOKEN', 16),
    publicOrigin: read.optionalUrl('PUBLIC_ORIGIN', ['http:', 'https:']),
    cookieSecure: read.bool('COOKIE_SECURE', false),
    rateLimitPerMinute: read.int('RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  checkAdmin(config, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function checkAdmin(config: Config, problems: string[]): void {
  const { adminUsername, adminPassword } = config;
  if ((adminUsername === undefined) !== (adminPassword === undefined)) {
    problems.push('ADMIN_USERNAME and ADMIN_PASSWORD must be set together (or neither).');
  }
  if (adminUsername !== undefined && !new RegExp(USERNAME_PATTERN).test(adminUsername)) {
    problems.push('ADMIN_USERNAME must be 3-32 letters, digits, ".", "_" or "-".');
  }
  if (adminPassword !== undefined && adminPassword.length < MIN_PASSWORD_CHARS) {
    problems.push(`ADMIN_PASSWORD must be at least ${MIN_PASSWORD_CHARS} characters.`);
  }
}

function createReader(env: Env, problems: string[]) {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    optional: raw,
    string: (name: string, fallback: string) => raw(name) ?? fallback,
    optionalPath: (name: string) => {
      const value = raw(name);
      return value === undefined ? undefined : path.resolve(value);
    },
    int(name: string, fallback: number, min: number, max: number): number {
      const value = raw(name);
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!/^-?\d+$/.test(value) || n < min || n > max) {
        problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
        return fallback;
      }
      return n;
    },
    bool(name: string, fallback: boolean): boolean {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      problems.push(`${name} must be true or false (got "${value}").`);
      return fallback;
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = raw(name);
      if (value === undefined) return fallback;
      if ((allowed as readonly string[]).includes(value)) return value as T;
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}").`);
      return fallback;
    },
    optionalUrl(name: string, protocols: string[]): string | undefined {
      const value = raw(name);
      if (value === undefined) return undefined;
      try {
        if (protocols.includes(new URL(value).protocol)) return value;
      } catch {
        // reported below
      }
      // Never echo the value: a Redis URL may carry a password.
      problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}.`);
      return undefined;
    },
    optionalSecret(name: string, minLength: number): string | undefined {
      const value = raw(name);
      if (value !== undefined && value.length < minLength) {
        problems.push(`${name} must be at least ${minLength} characters long.`);
        return undefined;
      }
      return value;
    },
  };
}
