/**
 * Main thread: the generations and plan calls currently in the worker, keyed by message id.
 * Turns the worker's messages into the caller's events and timings, and fails them all at
 * once when the worker dies.
 */
import { EngineError } from '../engine-error.js';
import type { GenerateEvent, PromptPlan } from '../engine.js';
import type { EventChannel } from './event-channel.js';
import type { InferenceStats } from './inference-stats.js';
import { now, type FromWorker, type WorkerDone } from '../protocol.js';
import type { Release } from './scheduler.js';

export type DoneEvent = Extract<GenerateEvent, { type: 'done' }>;

interface Generation {
  channel: EventChannel<GenerateEvent>;
  release: Release;
  arrivedAt: number;
  dispatchedAt: number;
  /** Token messages received so far (a message may hold more than one token's text). */
  streamed?: number;
}

interface PlanCall {
  resolve(plan: PromptPlan): void;
  reject(error: EngineError): void;
}

export class InFlight {
  private nextId = 1;
  private readonly generations = new Map<number, Generation>();
  private readonly plans = new Map<number, PlanCall>();

  constructor(
    private readonly stats: InferenceStats,
    private readonly onDone: (done: DoneEvent) => void,
  ) {}

  addGeneration(generation: Generation): number {
    const id = this.nextId++;
    this.generations.set(id, generation);
    this.stats.started();
    return id;
  }

  addPlan(call: PlanCall): number {
    const id = this.nextId++;
    this.plans.set(id, call);
    return id;
  }

  /** Routes a worker message to its request; returns false for messages that are not about one. */
  receive(message: FromWorker): boolean {
    switch (message.type) {
      case 'planned':
        this.takePlan(message.id)?.resolve(message.plan);
        return true;
      case 'start':
        this.generations.get(message.id)?.channel.push({ type: 'start', plan: message.plan });
        return true;
      case 'token':
        this.token(message.id, message.text);
        return true;
      case 'done':
        this.finish(message);
        return true;
      case 'failed':
        this.fail(message.id, new EngineError(message.code, message.message));
        return true;
      default:
        return false;
    }
  }

  /** Fails every generation and plan call (the worker died or the engine closes). */
  failAll(error: EngineError): void {
    for (const id of [...this.plans.keys(), ...this.generations.keys()]) this.fail(id, error);
  }

  private fail(id: number, error: EngineError): void {
    const plan = this.takePlan(id);
    if (plan !== undefined) return plan.reject(error);
    const generation = this.generations.get(id);
    if (generation === undefined) return;
    this.generations.delete(id);
    generation.release();
    this.stats.failed();
    generation.channel.fail(error);
  }

  private token(id: number, text: string): void {
    const generation = this.generations.get(id);
    if (generation === undefined) return;
    generation.streamed = (generation.streamed ?? 0) + 1;
    this.stats.generated();
    generation.channel.push({ type: 'token', text });
  }

  private takePlan(id: number): PlanCall | undefined {
    const call = this.plans.get(id);
    this.plans.delete(id);
    return call;
  }

  private finish(message: WorkerDone): void {
    const generation = this.generations.get(message.id);
    if (generation === undefined) return;
    this.generations.delete(message.id);
    generation.release();
    const done = toDoneEvent(message, generation, now());
    this.stats.finished({
      completionTokens: message.completionTokens,
      streamedTokens: generation.streamed ?? 0,
      promptTokens: message.promptTokens,
      cachedPromptTokens: message.cachedPromptTokens,
      ttftMs: message.firstTokenAt === null ? null : done.timings.ttftMs,
      tokensPerSecond: message.completionTokens > 1 ? done.timings.tokensPerSecond : null,
      serviceMs: done.timings.totalMs - done.timings.queueMs,
    });
    generation.channel.push(done);
    generation.channel.end();
    this.onDone(done);
  }
}

function toDoneEvent(message: WorkerDone, generation: Generation, finishedAt: number): DoneEvent {
  const { arrivedAt, dispatchedAt } = generation;
  const first = message.firstTokenAt ?? finishedAt;
  const last = message.lastTokenAt ?? finishedAt;
  // The decode rate after the first token, as llama.cpp reports it: n-1 tokens over their span.
  const tokensPerSecond =
    message.completionTokens > 1 && last > first ? ((message.completionTokens - 1) * 1000) / (last - first) : 0;
  return {
    type: 'done',
    finishReason: message.finishReason,
    usage: {
      promptTokens: message.promptTokens,
      completionTokens: message.completionTokens,
      cachedPromptTokens: message.cachedPromptTokens,
    },
    timings: {
      queueMs: ms(dispatchedAt - arrivedAt),
      ttftMs: ms(first - arrivedAt),
      totalMs: ms(finishedAt - arrivedAt),
      tokensPerSecond: Math.round(tokensPerSecond * 100) / 100,
    },
    context: { includedMessages: message.includedMessages, droppedMessages: message.droppedMessages },
  };
}

const ms = (value: number): number => Math.max(0, Math.round(value));
