import { loadConfig, type Config } from '../../server/config.js';

// Test-only hooks (the worker's crash message) answer only under NODE_ENV=test; tap does not set it.
process.env.NODE_ENV ??= 'test';

/** A config for tests: defaults with overrides, no environment read. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), logLevel: 'silent', ...overrides };
}
