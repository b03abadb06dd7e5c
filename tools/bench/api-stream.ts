/**
 * The OpenAI-compatible path, one stream at a time: streamed /v1/chat/completions with the same
 * prompt and sampling as the WebSocket phase, timed on the client from the SSE chunks.
 */
import { api } from './http.js';
import { log } from './log.js';
import type { BenchPlan } from './plan.js';
import { decodeRate } from './stats.js';

export interface ApiStream {
  /** Request sent → first content chunk. */
  ttftMs: number | null;
  /** Completion tokens after the first, over first → last content chunk. */
  decodeTokensPerSecond: number | null;
  completionTokens: number;
}

/** Streams one completion; usage comes from the include_usage chunk. */
async function streamOnce(baseUrl: string, key: string, body: object, timeoutMs: number): Promise<ApiStream> {
  const sentAt = performance.now();
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok || !response.body) throw new Error(`/v1/chat/completions answered ${response.status}`);
  let first: number | null = null;
  let last: number | null = null;
  let completionTokens = 0;
  let pending = '';
  const decoder = new TextDecoder();
  for await (const bytes of response.body) {
    pending += decoder.decode(bytes, { stream: true });
    const events = pending.split('\n\n');
    pending = events.pop()!;
    for (const event of events) {
      if (!event.startsWith('data: {')) continue;
      const chunk = JSON.parse(event.slice(6)) as {
        choices: { delta: { content?: string } }[];
        usage?: { completion_tokens: number } | null;
      };
      if (chunk.choices[0]?.delta.content) {
        last = performance.now();
        first ??= last;
      }
      if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
    }
  }
  return {
    ttftMs: first === null ? null : first - sentAt,
    decodeTokensPerSecond: decodeRate(completionTokens, first, last),
    completionTokens,
  };
}

/** A warm-up, then `plan.warmReps` streams (a seed each, so none is a response cache hit). */
export async function runApiStream(plan: BenchPlan, baseUrl: string, userToken: string): Promise<ApiStream[]> {
  const { key } = await api<{ key: string }>(baseUrl, 'POST', '/api/keys', {
    token: userToken,
    body: { name: 'bench' },
  });
  const { data } = await api<{ data: { id: string }[] }>(baseUrl, 'GET', '/v1/models', { token: key });
  const body = (seed: number) => ({
    model: data[0]!.id,
    messages: [{ role: 'user', content: plan.prompt }],
    temperature: 0,
    max_tokens: plan.maxTokens,
    seed,
  });
  await streamOnce(baseUrl, key, body(0), plan.answerTimeoutMs);
  const streams: ApiStream[] = [];
  for (let i = 1; i <= plan.warmReps; i++) {
    const stream = await streamOnce(baseUrl, key, body(i), plan.answerTimeoutMs);
    log(`  api stream ${i}: ${stream.completionTokens} tokens, TTFT ${stream.ttftMs?.toFixed(0)} ms`);
    streams.push(stream);
  }
  return streams;
}
