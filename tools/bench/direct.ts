/**
 * The parent side of the direct baseline: forks direct-child.ts (node-llama-cpp alone, its own
 * process) and asks it for one measurement at a time, so its runs can be interleaved with the
 * portal's and both see the same machine load.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DirectSampling, DirectSettings, DirectStream, FromDirect, ToDirect } from './direct-protocol.js';
import type { ProcMemory } from './proc-memory.js';

const CHILD = path.join(import.meta.dirname, 'direct-child.ts');

export interface DirectConcurrent {
  streams: DirectStream[];
  wallMs: number;
  completionTokens: number;
}

export class DirectBaseline {
  private constructor(
    private readonly child: ChildProcess,
    readonly loadMs: number,
    readonly promptTokens: number,
  ) {}

  /** Loads the model in a child process; rejects if it is not ready within `timeoutMs`. */
  static async start(settings: DirectSettings, timeoutMs: number): Promise<DirectBaseline> {
    const child = fork(CHILD, [JSON.stringify(settings)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const ready = await next(child, 'ready', timeoutMs);
      return new DirectBaseline(child, ready.loadMs, ready.promptTokens);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** One stream of `prompt` (defaults to the settings' prompt) on the first sequence. */
  async single(sampling: DirectSampling, timeoutMs: number, prompt?: string): Promise<DirectStream> {
    return (
      await this.ask({ type: 'single', ...sampling, ...(prompt === undefined ? {} : { prompt }) }, 'single', timeoutMs)
    ).stream;
  }

  /** One stream per prompt, on as many sequences, decoded together. */
  async concurrent(prompts: string[], sampling: DirectSampling, timeoutMs: number): Promise<DirectConcurrent> {
    const { type: _type, ...result } = await this.ask(
      { type: 'concurrent', prompts, ...sampling },
      'concurrent',
      timeoutMs,
    );
    return result;
  }

  /** The prompt's token ids, rendered as the portal renders it. */
  async tokens(prompt?: string): Promise<number[]> {
    return (await this.ask({ type: 'tokens', ...(prompt === undefined ? {} : { prompt }) }, 'tokens', 10_000)).tokens;
  }

  async memory(): Promise<ProcMemory> {
    const { type: _type, ...memory } = await this.ask({ type: 'memory' }, 'memory', 10_000);
    return memory;
  }

  /** Asks the child to dispose the model and exit; kills it if it does not within 10 s. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'exit' } satisfies ToDirect);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private ask<T extends FromDirect['type']>(
    message: ToDirect,
    type: T,
    timeoutMs: number,
  ): Promise<Extract<FromDirect, { type: T }>> {
    const answer = next(this.child, type, timeoutMs);
    this.child.send(message);
    return answer;
  }
}

/** The child's next message of `type`; a `failed` message, an exit or the timeout reject. */
function next<T extends FromDirect['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
): Promise<Extract<FromDirect, { type: T }>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: FromDirect) => {
      if (message.type === 'failed') {
        done();
        reject(new Error(`direct node-llama-cpp failed: ${message.message}`));
      } else if (message.type === type) {
        done();
        resolve(message as Extract<FromDirect, { type: T }>);
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`direct node-llama-cpp exited (code ${code})`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`direct node-llama-cpp gave no ${type} answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
