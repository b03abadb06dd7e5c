/**
 * Optional phase: llama.cpp's own llama-server on the same model file, threads, context and
 * sequences, against direct node-llama-cpp, pair by pair (to find where the gap between the
 * two goes). The binary is built by `npm run bench:llama-server` from the very llama.cpp source
 * node-llama-cpp 3.21.1 bundles, or given with --llama-server PATH. Both sides get the same
 * prompt token ids, greedy decoding with the portal's repeat penalty, and flash attention off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DirectBaseline, DirectConcurrent } from './direct.js';
import type { DirectStream } from './direct-protocol.js';
import { freePort } from './http.js';
import { describeStream, log } from './log.js';
import type { BenchPlan } from './plan.js';
import { readProcMemory, type ProcMemory } from './proc-memory.js';
import { PORTAL_REPEAT_PENALTY } from './single-stream.js';
import { aggregateRate, decodeRate } from './stats.js';
import { stopChild } from './stop-child.js';

/** One answer from llama-server, timed by this client, with the server's own timings. */
export interface ServerStream extends DirectStream {
  /** timings.predicted_per_second: llama.cpp's decode rate, measured inside the server. */
  serverDecodePerSecond: number | null;
  /** timings.prompt_ms: prompt evaluation inside the server. */
  serverPromptMs: number | null;
}

export interface ServerConcurrent {
  streams: ServerStream[];
  wallMs: number;
  completionTokens: number;
}

export interface LlamaServerResult {
  binary: string;
  cold: { direct: DirectStream[]; server: ServerStream[] };
  concurrent: { direct: DirectConcurrent[]; server: ServerConcurrent[] };
  memory: ProcMemory;
}

const PAIRS = 3;
const CONCURRENT_PAIRS = 2;

export async function runLlamaServer(plan: BenchPlan, direct: DirectBaseline): Promise<LlamaServerResult> {
  const server = await LlamaServer.start(plan);
  try {
    const sampling = { maxTokens: plan.maxTokens, repeatPenalty: PORTAL_REPEAT_PENALTY };
    const prompt = await direct.tokens();
    const result: LlamaServerResult = {
      binary: plan.llamaServer,
      cold: { direct: [], server: [] },
      concurrent: { direct: [], server: [] },
      memory: { vmHwmBytes: null, vmRssBytes: null },
    };
    await server.complete(prompt, plan); // warm-up
    for (let i = 0; i < PAIRS; i++) {
      result.cold.direct.push(
        logged('direct, whole prompt', await direct.single({ ...sampling, reusePrefix: false }, plan.answerTimeoutMs)),
      );
      result.cold.server.push(logged('llama-server, whole prompt', await server.complete(prompt, plan)));
    }
    let tag = 0;
    for (let i = 0; i < CONCURRENT_PAIRS; i++) {
      const texts = () => Array.from({ length: plan.parallel }, () => `[s${++tag}] ${plan.prompt}`);
      const run = await direct.concurrent(texts(), { ...sampling, reusePrefix: true }, plan.answerTimeoutMs * 2);
      log(`  direct ${plan.parallel} streams: ${rate(run)} tok/s aggregate`);
      result.concurrent.direct.push(run);
      const prompts = await Promise.all(texts().map((text) => direct.tokens(text)));
      const begin = performance.now();
      const streams = await Promise.all(prompts.map((tokens) => server.complete(tokens, plan)));
      const served = {
        streams,
        wallMs: performance.now() - begin,
        completionTokens: streams.reduce((sum, s) => sum + s.completionTokens, 0),
      };
      log(`  llama-server ${plan.parallel} streams: ${rate(served)} tok/s aggregate`);
      result.concurrent.server.push(served);
    }
    result.memory = server.memory();
    return result;
  } finally {
    await server.stop();
  }
}

const rate = (run: { completionTokens: number; wallMs: number }) => aggregateRate([run])?.toFixed(1) ?? '–';

function logged<T extends DirectStream>(what: string, stream: T): T {
  log(`  ${describeStream(what, stream)}`);
  return stream;
}

class LlamaServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly baseUrl: string,
  ) {}

  static async start(plan: BenchPlan): Promise<LlamaServer> {
    if (!fs.existsSync(plan.llamaServer))
      throw new Error(`no llama-server at ${plan.llamaServer}: build it with npm run bench:llama-server`);
    const port = await freePort();
    const args = [
      '-m',
      plan.modelPath,
      '-t',
      String(plan.threads),
      '-tb',
      String(plan.threads),
      // -c is the whole KV cache: PARALLEL slots of CONTEXT_SIZE each, as the portal's context.
      '-c',
      String(plan.contextSize * plan.parallel),
      '-np',
      String(plan.parallel),
      '-fa',
      'off',
      '--no-mmap',
      '-ngl',
      '0',
      '--no-webui',
      '-cram',
      '0',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ];
    const logFile = path.join(os.tmpdir(), `llama-server-${port}.log`);
    const out = fs.openSync(logFile, 'w');
    const child = spawn(plan.llamaServer, args, { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const server = new LlamaServer(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + plan.loadTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      const ok = await fetch(`${server.baseUrl}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return server;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await server.stop();
    throw new Error(`llama-server did not become ready; its log: ${logFile}`);
  }

  /** One streamed completion of `tokens`, the whole prompt evaluated (no prompt cache). */
  async complete(tokens: number[], plan: BenchPlan): Promise<ServerStream> {
    const body = {
      prompt: tokens,
      n_predict: plan.maxTokens,
      stream: true,
      cache_prompt: false,
      temperature: 0,
      repeat_penalty: PORTAL_REPEAT_PENALTY,
      repeat_last_n: 64,
    };
    const begin = performance.now();
    const response = await fetch(`${this.baseUrl}/completion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(plan.answerTimeoutMs),
    });
    if (!response.ok || response.body === null)
      throw new Error(`llama-server answered ${response.status}: ${await response.text()}`);
    let first: number | null = null;
    let last: number | null = null;
    let textChars = 0;
    let final: Record<string, unknown> | null = null;
    for await (const event of serverSentEvents(response.body)) {
      // e.g. a random-weight model's bytes that llama-server refuses as output
      if (event.error !== undefined) throw new Error(`llama-server failed the answer: ${JSON.stringify(event.error)}`);
      if (event.stop === true) {
        final = event;
        continue;
      }
      const at = performance.now();
      first ??= at;
      last = at;
      textChars += String(event.content ?? '').length;
    }
    const timings = (final?.timings ?? {}) as Record<string, number | undefined>;
    const completionTokens = Number(final?.tokens_predicted ?? timings.predicted_n ?? 0);
    return {
      promptTokens: tokens.length,
      reusedTokens: Number(timings.cache_n ?? 0),
      completionTokens,
      ttftMs: first === null ? null : first - begin,
      decodeTokensPerSecond: decodeRate(completionTokens, first, last),
      totalMs: performance.now() - begin,
      textChars,
      serverDecodePerSecond: timings.predicted_per_second ?? null,
      serverPromptMs: timings.prompt_ms ?? null,
    };
  }

  memory(): ProcMemory {
    return readProcMemory(this.child.pid!);
  }

  stop(): Promise<void> {
    return stopChild(this.child, 10_000);
  }
}

/** The JSON payloads of a text/event-stream body (`data: {...}` events). */
async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<Record<string, unknown>> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    const events = buffer.split('\n\n');
    buffer = events.pop()!;
    yield* events.flatMap(parseEvent);
  }
  // The last event may end with the stream instead of a blank line.
  yield* parseEvent(buffer + decoder.decode());
}

function parseEvent(event: string): Array<Record<string, unknown>> {
  const data = event
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6))
    .join('');
  return data === '' || data === '[DONE]' ? [] : [JSON.parse(data) as Record<string, unknown>];
}
