import t from 'tap';
import Fastify from 'fastify';
import { retryAfterSec, toClientError } from '../../server/client-error.js';
import { EngineError } from '../../server/engine/engine.js';
import { AppError, badRequest, conflict, forbidden, notFound, unauthenticated } from '../../server/errors.js';
import errorHandler from '../../server/plugins/error-handler.js';

/** A log that remembers what it was told. */
function recordingLog() {
  const lines: Array<{ obj: object; msg?: string }> = [];
  return { lines, error: (obj: object, msg?: string) => void lines.push({ obj, msg }) };
}

t.test('AppErrors keep their status, code and message; Retry-After seconds become milliseconds', async (t) => {
  const log = recordingLog();
  const cases: Array<[AppError, number, string]> = [
    [badRequest('Bad.'), 400, 'bad_request'],
    [unauthenticated(), 401, 'unauthenticated'],
    [forbidden(), 403, 'forbidden'],
    [notFound('Conversation'), 404, 'not_found'],
    [conflict('Taken.'), 409, 'conflict'],
    [new AppError(401, 'invalid_credentials', 'Wrong password.'), 401, 'invalid_credentials'],
  ];
  for (const [error, status, code] of cases) {
    t.same(toClientError(error, { log }), { status, error: { code, message: error.message } }, code);
  }
  const throttled = toClientError(new AppError(429, 'throttled', 'Wait.', 30), { log });
  t.same(throttled, { status: 429, error: { code: 'throttled', message: 'Wait.', retryAfterMs: 30_000 } });
  t.equal(retryAfterSec(throttled.error), 30);
  t.equal(log.lines.length, 0, 'errors made for the client are not logged as failures');
});

t.test('EngineErrors map their code to a status and keep retryAfterMs', async (t) => {
  const log = recordingLog();
  t.same(toClientError(new EngineError('busy', 'Full.', 1500), { log }), {
    status: 503,
    error: { code: 'busy', message: 'Full.', retryAfterMs: 1500 },
  });
  t.same(toClientError(new EngineError('context_overflow', 'Too long.'), { log }), {
    status: 400,
    error: { code: 'context_overflow', message: 'Too long.' },
  });
  t.same(toClientError(new EngineError('model_unavailable', 'No model.'), { log }), {
    status: 503,
    error: { code: 'model_unavailable', message: 'No model.' },
  });
  t.equal(retryAfterSec({ code: 'busy', message: '', retryAfterMs: 1500 }), 2, 'Retry-After rounds up');
  t.equal(retryAfterSec({ code: 'busy', message: '' }), undefined);
});

t.test('validation and Fastify 4xx errors keep a client message', async (t) => {
  const log = recordingLog();
  const validation = Object.assign(new Error('body/password must NOT have fewer than 8 characters'), {
    statusCode: 400,
    validationContext: 'body',
    validation: [{ instancePath: '/password', message: 'must NOT have fewer than 8 characters', params: { limit: 8 } }],
  });
  t.same(toClientError(validation, { log }), {
    status: 400,
    error: { code: 'bad_request', message: 'Invalid body.password: must NOT have fewer than 8 characters.' },
  });
  const extra = Object.assign(new Error('x'), {
    statusCode: 400,
    validationContext: 'body',
    validation: [{ instancePath: '', message: 'x', params: { additionalProperty: 'admin' } }],
  });
  t.same(toClientError(extra, { log }).error, { code: 'bad_request', message: 'Unknown field "admin" in body.' });
  const tooLarge = Object.assign(new Error('Request body is too large'), {
    statusCode: 413,
    code: 'FST_ERR_CTP_BODY_TOO_LARGE',
  });
  t.same(toClientError(tooLarge, { log }), {
    status: 413,
    error: { code: 'payload_too_large', message: 'The request body is too large.' },
  });
  const media = Object.assign(new Error('Unsupported'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
  t.same(toClientError(media, { log }), {
    status: 415,
    error: { code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  });
  t.equal(log.lines.length, 0);
});

t.test('a 5xx is logged with its details and never sends its message', async (t) => {
  const secret = 'SQLITE_CORRUPT at /var/lib/portal/db: password=hunter2';
  for (const error of [new Error(secret), Object.assign(new Error(secret), { statusCode: 502 }), secret, null]) {
    const log = recordingLog();
    const mapped = toClientError(error, { log });
    t.equal(mapped.status, 500);
    t.equal(mapped.error.code, 'internal');
    t.notMatch(JSON.stringify(mapped), /hunter2|SQLITE/, 'the details stay out of the answer');
    t.equal(log.lines.length, 1, 'and go to the log');
    t.same(log.lines[0]!.obj, { err: error });
  }
  const log = recordingLog();
  const mapped = toClientError(new Error(secret), {
    log,
    internalMessage: 'Try again.',
    logMessage: 'chat request failed',
  });
  t.same(mapped.error, { code: 'internal', message: 'Try again.' });
  t.equal(log.lines[0]!.msg, 'chat request failed');
});

t.test('the HTTP error handler sends the mapped body and Retry-After', async (t) => {
  const app = Fastify({ logger: false });
  await app.register(errorHandler);
  app.get('/throttled', async () => {
    throw new AppError(429, 'throttled', 'Too many attempts.', 12);
  });
  app.get('/busy', async () => {
    throw new EngineError('busy', 'Full.', 1500);
  });
  app.get('/broken', async () => {
    throw new Error('disk at /secret/path failed');
  });
  t.teardown(() => app.close());
  const throttled = await app.inject({ url: '/throttled' });
  t.equal(throttled.statusCode, 429);
  t.equal(throttled.headers['retry-after'], '12');
  t.same(throttled.json(), { error: { code: 'throttled', message: 'Too many attempts.' } });
  const busy = await app.inject({ url: '/busy' });
  t.equal(busy.statusCode, 503);
  t.equal(busy.headers['retry-after'], '2');
  const broken = await app.inject({ url: '/broken' });
  t.equal(broken.statusCode, 500);
  t.same(broken.json(), {
    error: { code: 'internal', message: 'Something went wrong on the server. It has been logged.' },
  });
});
