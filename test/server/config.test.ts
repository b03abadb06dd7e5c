import t from 'tap';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.js';

t.test('defaults match API.md', async (t) => {
  const c = loadConfig({});
  t.equal(c.port, 3000);
  t.equal(c.host, '0.0.0.0');
  t.equal(c.dataDir, path.resolve('./data'));
  t.equal(c.modelsDir, path.resolve('./models'));
  t.equal(c.modelPath, undefined);
  t.equal(c.contextSize, 2048);
  t.equal(c.parallel, 4);
  t.equal(c.threads, os.availableParallelism());
  t.equal(c.redisUrl, undefined);
  t.equal(c.cacheTtlSec, 3600);
  t.equal(c.cacheMemoryMb, 64);
  t.equal(c.logLevel, 'info');
});

t.test('values are parsed', async (t) => {
  const c = loadConfig({
    PORT: '8080',
    CONTEXT_SIZE: '4096',
    REDIS_URL: 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'debug',
    COOKIE_SECURE: 'true',
    MODEL_PATH: 'm.gguf',
  });
  t.equal(c.port, 8080);
  t.equal(c.contextSize, 4096);
  t.equal(c.redisUrl, 'redis://127.0.0.1:6379');
  t.equal(c.logLevel, 'debug');
  t.equal(c.cookieSecure, true);
  t.equal(c.modelPath, path.resolve('m.gguf'));
  t.equal(loadConfig({ CACHE_MEMORY_MB: '0' }).cacheMemoryMb, 0, 'CACHE_MEMORY_MB=0 turns the memory tier off');
  t.throws(() => loadConfig({ CACHE_MEMORY_MB: '-1' }), /CACHE_MEMORY_MB must be a whole number from 0/);
});

t.test('one clear message per bad variable, all at once', async (t) => {
  const error = t.throws(() =>
    loadConfig({
      PORT: 'eighty',
      PARALLEL: '0',
      LOG_LEVEL: 'loud',
      REDIS_URL: 'http://user:hunter2@x',
      JWT_SECRET: 'short',
      COOKIE_SECURE: 'maybe',
    }),
  ) as ConfigError;
  t.type(error, ConfigError);
  t.equal(error.problems.length, 6);
  t.match(error.message, /PORT must be a whole number from 0 to 65535 \(got "eighty"\)/);
  t.match(error.message, /PARALLEL must be a whole number from 1 to 64/);
  t.match(error.message, /LOG_LEVEL must be one of/);
  t.match(error.message, /REDIS_URL must be a URL starting with redis:\/\//);
  t.notMatch(error.message, /hunter2/, 'a URL with a password is never echoed');
  t.match(error.message, /JWT_SECRET must be at least 32 characters/);
  t.match(error.message, /COOKIE_SECURE must be true or false/);
});

t.test('admin credentials come in pairs and follow the user rules', async (t) => {
  t.throws(() => loadConfig({ ADMIN_USERNAME: 'root' }), /must be set together/);
  t.throws(() => loadConfig({ ADMIN_USERNAME: 'ro', ADMIN_PASSWORD: 'longenough' }), /ADMIN_USERNAME must be 3-32/);
  t.throws(() => loadConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'short' }), /ADMIN_PASSWORD must be at least 8/);
  t.equal(loadConfig({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'longenough' }).adminUsername, 'root');
});

t.test('empty strings count as unset', async (t) => {
  t.equal(loadConfig({ PORT: '', REDIS_URL: '  ' }).port, 3000);
  t.equal(loadConfig({ REDIS_URL: '' }).redisUrl, undefined);
});
