import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { EngineError } from '../../engine/engine.js';
import {
  createCompletionService,
  type Completion,
  type CompletionListener,
} from '../../services/completion-service.js';
import { cutByRestart, serverRestarting, type Drain, type TrackedRun } from '../../services/drain.js';
import {
  ChatCompletion,
  ChatCompletionRequest,
  type CompletionUsage,
  type OpenAiFinishReason,
} from '../../../shared/contract/openai.js';
import { completionRequest } from './completion-request.js';
import { admitOrRefuse } from './rate-limits.js';
import { loadedModelId } from './models.js';
import { AppError } from '../../errors.js';
import { fromAppError, fromEngineError, modelNotFound, OpenAiError } from './openai-errors.js';
import { CompletionStream } from './sse-stream.js';

const usageOf = ({ usage }: Completion): CompletionUsage => ({
  prompt_tokens: usage.promptTokens,
  completion_tokens: usage.completionTokens,
  total_tokens: usage.promptTokens + usage.completionTokens,
});

/** An aborted answer never reaches the client (it left); anything else is stop or length. */
const finishOf = ({ finishReason }: Completion): OpenAiFinishReason => (finishReason === 'length' ? 'length' : 'stop');

/** Aborts when the client goes away before the answer was sent: the engine frees its slot within a decode step. */
function abortOnDisconnect(reply: FastifyReply): AbortController {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller;
}

/** POST /v1/chat/completions: one answer, streamed as server-sent events or sent whole. */
const chatCompletionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const completions = createCompletionService({
    engine: app.engine,
    cache: app.responseCache,
    config: app.config,
    log: app.log,
    answers: app.answers,
  });

  app.post(
    '/chat/completions',
    { schema: { body: ChatCompletionRequest, response: { 200: ChatCompletion } } },
    async (request, reply) => {
      const body = request.body;
      if (app.drain.draining) throw serverRestarting();
      const model = loadedModelId(app.engine);
      if (model === null) {
        throw fromEngineError(new EngineError('model_unavailable', app.engine.status().hint ?? 'No model is loaded.'));
      }
      if (body.model !== model) throw modelNotFound(body.model);
      const input = completionRequest(body);
      const userId = request.apiUser!.id;
      // The user's limits, before anything is queued: refused → 429 with x-ratelimit-* headers.
      const admission = await admitOrRefuse(app, request.apiUser!, reply);
      const maxTokens = admission.clampMaxTokens(input.sampling?.maxTokens);
      if (maxTokens !== undefined) input.sampling = { ...input.sampling, maxTokens };
      const { signal } = abortOnDisconnect(reply);
      const id = `chatcmpl-${randomBytes(18).toString('base64url')}`;
      const created = Math.floor(Date.now() / 1000);

      const complete = (listener: CompletionListener) =>
        completeTracked(app.drain, signal, (run) =>
          completions.complete(userId, input, startsRun(listener, run), run.signal),
        );

      if (body.stream !== true) {
        const answer = await complete({});
        if (answer.finishReason === 'abort') {
          reply.hijack(); // the client left: nobody to answer
          return void reply.raw.end();
        }
        reply.header('x-cache', answer.cached ? 'hit' : 'miss');
        return {
          id,
          object: 'chat.completion' as const,
          created,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant' as const, content: answer.text },
              finish_reason: finishOf(answer),
            },
          ],
          usage: usageOf(answer),
        };
      }

      const includeUsage = body.stream_options?.include_usage === true;
      const stream = new CompletionStream(reply, { id, created, model, includeUsage });
      try {
        const answer = await complete({
          queued: (position, etaMs) => stream.queued(position, etaMs),
          began: ({ cached }) => stream.began(cached),
          token: (text) => stream.content(text),
        });
        if (answer.finishReason === 'abort') stream.close();
        else stream.finish(finishOf(answer), usageOf(answer));
      } catch (error) {
        if (!stream.started) throw error;
        stream.fail(toOpenAiError(error, request.log));
      }
    },
  );
};

/**
 * One answer as the shutdown sees it: tracked so the drain waits for it, and cut when the grace
 * period ends — then it fails with `server_restarting` (503, Retry-After) rather than passing for
 * an answer its client abandoned.
 */
async function completeTracked(
  drain: Drain,
  outer: AbortSignal,
  complete: (run: TrackedRun) => Promise<Completion>,
): Promise<Completion> {
  let answer: Completion | undefined;
  await drain.track(outer, async (run) => {
    answer = await complete(run);
    if (cutByRestart(run.signal)) throw run.signal.reason;
  });
  return answer!;
}

/** The listener, also telling the drain when the answer begins (a queued answer is cut at once, a running one waited for). */
const startsRun = (listener: CompletionListener, run: TrackedRun): CompletionListener => ({
  ...listener,
  began(source) {
    run.started();
    listener.began?.(source);
  },
});

/** A failure after the stream began, as its last event says it. */
function toOpenAiError(error: unknown, log: { error(obj: object, msg?: string): void }): OpenAiError {
  if (error instanceof OpenAiError) return error;
  if (error instanceof EngineError) return fromEngineError(error);
  if (error instanceof AppError) return fromAppError(error);
  log.error({ err: error }, 'streamed completion failed');
  return new OpenAiError(500, 'server_error', null, 'The server had an error while processing your request.');
}

export default chatCompletionRoutes;
