/**
 * The Engine the server uses (engine.ts's createEngine makes it): model resolution, the worker's
 * lifecycle (restarted after a crash), the fair scheduler in front of it, and stats. Main thread only.
 */
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Config } from '../../config.js';
import { EngineError } from '../engine-error.js';
import type {
  ChatTurn,
  Engine,
  EngineLogger,
  EngineStatus,
  GenerateEvent,
  GenerateRequest,
  InferenceStats as InferenceStatsView,
  ModelInfo,
  PromptPlan,
  SamplingOptions,
} from '../engine.js';
import { planKey } from '../plan-key.js';
import { now, type FromWorker, type LoadedModel } from '../protocol.js';
import { EventChannel } from './event-channel.js';
import { InFlight, type DoneEvent } from './in-flight.js';
import { InferenceStats } from './inference-stats.js';
import { resolveModelFile, type ModelFile } from './model-file.js';
import { modelFingerprint } from './model-fingerprint.js';
import { answerBudget, workerSampling } from './sampling.js';
import { RestartBackoff } from './restart-backoff.js';
import { FairScheduler, type Release } from './scheduler.js';
import { WorkerHost } from './worker-host.js';

/** Plans remembered on the main thread; each is about the size of its prompt. */
const PLANS_KEPT = 64;
const RESTARTING_HINT = 'The inference worker is restarting after a crash; try again in a moment.';
/** How often a missing model file is looked for again. */
const RECHECK_MISSING_MS = 2_000;

export class WorkerEngine implements Engine {
  private state: EngineStatus = { state: 'loading', hint: null };
  private host: WorkerHost | null = null;
  private loading: Promise<EngineStatus>;
  private readonly firstLoad: Promise<EngineStatus>;
  private modelFile: ModelFile;
  private loaded: LoadedModel | null = null;
  private fingerprint: string | null = null;
  private readonly counters = new InferenceStats();
  /**
   * Plans of recent message lists: a repeated question (the response cache's whole business)
   * is planned here without a round trip to the worker, which on a busy 2-core box can wait for
   * a time slice. Cleared whenever a model is (re)loaded.
   */
  private readonly plans = new LRUCache<string, PromptPlan>({ max: PLANS_KEPT });
  private readonly inFlight: InFlight;
  private readonly scheduler: FairScheduler;
  private readonly listeners = new Set<(done: DoneEvent) => void>();
  private readonly backoff = new RestartBackoff();
  private lastMissingCheck = 0;
  private closed = false;

  constructor(
    private readonly config: Config,
    private readonly logger: EngineLogger,
  ) {
    this.inFlight = new InFlight(this.counters, (done) => this.listeners.forEach((listener) => listener(done)));
    this.scheduler = new FairScheduler({
      slots: config.parallel,
      maxQueue: config.maxQueue,
      maxPerUser: config.maxPerUser,
      serviceTimeMs: () => this.counters.serviceTimeMs(),
    });
    this.modelFile = resolveModelFile(config);
    this.loading = this.modelFile.exists ? this.startWorker() : Promise.resolve(this.unavailable(this.modelFile.hint!));
    this.firstLoad = this.loading;
  }

  ready(): Promise<EngineStatus> {
    return this.firstLoad;
  }

  status(): EngineStatus {
    this.recheckMissingModel();
    return { ...this.state };
  }

  async plan(messages: ChatTurn[], options?: SamplingOptions): Promise<PromptPlan> {
    const host = await this.readyHost();
    const budget = answerBudget(options, this.config);
    const key = planKey(messages, budget);
    const known = this.plans.get(key);
    if (known !== undefined) return known;
    const plan = await new Promise<PromptPlan>((resolve, reject) => {
      const id = this.inFlight.addPlan({ resolve, reject });
      host.send({ type: 'plan', id, messages, answerBudget: budget });
    });
    if (host === this.host) this.plans.set(key, plan);
    return plan;
  }

  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<GenerateEvent> {
    const channel = new EventChannel<GenerateEvent>();
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    void this.run(request, stop.signal, channel);
    try {
      yield* channel;
    } finally {
      // The caller stopped iterating early: the worker must not keep generating.
      if (!channel.closed) stop.abort();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  refusal(userId: string): EngineError | undefined {
    return this.scheduler.refusal(userId);
  }

  model(): ModelInfo {
    const loaded = this.state.state === 'ready' ? this.loaded : null;
    return {
      loaded: loaded !== null,
      name: loaded?.name ?? null,
      file: path.basename(this.modelFile.path),
      architecture: loaded?.architecture ?? null,
      parameters: loaded?.parameters ?? null,
      quantization: loaded?.quantization ?? null,
      contextSize: this.config.contextSize,
      threads: this.config.threads,
      parallel: this.config.parallel,
      loadTimeMs: loaded?.loadTimeMs ?? null,
      fingerprint: this.fingerprint,
      template: loaded?.template ?? null,
    };
  }

  stats(): InferenceStatsView {
    const { serviceTimeMs: _service, ...snapshot } = this.counters.snapshot();
    return {
      activeSequences: this.scheduler.activeCount,
      queueDepth: this.scheduler.queueDepth,
      ...snapshot,
      workerRestarts: this.backoff.restarts,
    };
  }

  onCompleted(listener: (done: DoneEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.backoff.cancel();
    await this.loading.catch(() => undefined);
    this.inFlight.failAll(new EngineError('internal', 'The server is shutting down; this answer was not finished.'));
    this.scheduler.rejectAll(new EngineError('internal', 'The server is shutting down.'));
    const host = this.host;
    this.host = null;
    await host?.close();
  }

  /** Test hook: makes the worker die as a bug ('throw') or an exit ('exit') would. */
  crashWorkerForTest(how: 'throw' | 'exit'): void {
    if (process.env.NODE_ENV !== 'test') throw new Error('crashWorkerForTest works only under NODE_ENV=test.');
    this.host?.send({ type: 'crash', how });
  }

  private async run(
    request: GenerateRequest,
    signal: AbortSignal,
    channel: EventChannel<GenerateEvent>,
  ): Promise<void> {
    const arrivedAt = now();
    let release: Release | null = null;
    try {
      const sampling = workerSampling(request.options, this.config);
      let host = await this.readyHost();
      // Fail an oversized message now rather than after a wait in the queue.
      if (this.scheduler.mustWait()) await this.plan(request.messages, request.options);
      const onQueued = (position: number, etaMs: number | undefined): void =>
        channel.push(etaMs === undefined ? { type: 'queued', position } : { type: 'queued', position, etaMs });
      release = await this.scheduler.acquire(request.userId, onQueued, signal);
      host = await this.readyHost(); // the worker may have restarted while we waited
      if (signal.aborted) throw signal.reason;
      const id = this.inFlight.addGeneration({ channel, release, arrivedAt, dispatchedAt: now() });
      release = null; // in-flight owns it now
      host.send({ type: 'generate', id, sessionKey: request.sessionKey ?? null, messages: request.messages, sampling });
      signal.addEventListener('abort', () => this.host?.send({ type: 'abort', id }), { once: true });
    } catch (error) {
      release?.();
      if (signal.aborted && !(error instanceof EngineError)) return this.abortedBeforeStart(channel, arrivedAt);
      channel.fail(error instanceof EngineError ? error : new EngineError('internal', String(error)));
    }
  }

  /** Aborted while waiting: a done event with nothing generated. */
  private abortedBeforeStart(channel: EventChannel<GenerateEvent>, arrivedAt: number): void {
    const waited = Math.round(now() - arrivedAt);
    channel.push({
      type: 'done',
      finishReason: 'abort',
      usage: { promptTokens: 0, completionTokens: 0, cachedPromptTokens: 0 },
      timings: { queueMs: waited, ttftMs: waited, totalMs: waited, tokensPerSecond: 0 },
      context: { includedMessages: 0, droppedMessages: 0 },
    });
    channel.end();
  }

  /** Waits out a load or restart; throws model_unavailable when there is no model. */
  private async readyHost(): Promise<WorkerHost> {
    this.recheckMissingModel();
    if (this.state.state === 'loading' || this.state.state === 'restarting') await this.loading;
    if (this.state.state !== 'ready' || this.host === null) {
      throw new EngineError('model_unavailable', this.state.hint ?? 'The model is not loaded.');
    }
    return this.host;
  }

  private async startWorker(): Promise<EngineStatus> {
    const modelPath = this.modelFile.path;
    const host = new WorkerHost({
      onMessage: (message) => this.receive(message),
      onCrash: (reason) => this.onCrash(host, reason),
    });
    this.host = host;
    this.backoff.started();
    const [result, fingerprint] = await Promise.all([
      host.load({
        modelPath,
        contextSize: this.config.contextSize,
        parallel: this.config.parallel,
        threads: this.config.threads,
      }),
      modelFingerprint(modelPath).catch(() => null),
    ]);
    if (this.closed || this.host !== host) return this.state;
    if (!result.ok) {
      this.host = null;
      void host.close();
      this.logger.error({ modelPath, reason: result.message }, 'model load failed');
      return this.unavailable(
        `Could not load the model at ${modelPath}: ${result.message}. Check that it is a complete GGUF file ` +
          '(re-download it with `npm run model:pull`) or set MODEL_PATH=/path/to/model.gguf.',
      );
    }
    this.loaded = result.model;
    this.fingerprint = fingerprint;
    this.plans.clear();
    this.state = { state: 'ready', hint: null };
    this.logger.info(
      { ...result.model, contextSize: this.config.contextSize, parallel: this.config.parallel },
      'model loaded',
    );
    return this.state;
  }

  private onCrash(host: WorkerHost, reason: string): void {
    if (this.host !== host || this.closed) return;
    this.host = null;
    this.logger.error({ reason }, 'inference worker died; restarting it');
    this.state = { state: 'restarting', hint: RESTARTING_HINT };
    this.inFlight.failAll(
      new EngineError(
        'internal',
        `The inference worker stopped unexpectedly (${reason}), so this answer was cut off. Please try again.`,
      ),
    );
    // The old thread frees its model before the new one loads: never two models in memory.
    this.loading = Promise.all([host.exited, this.backoff.afterCrash()]).then(() =>
      this.closed ? this.state : this.startWorker(),
    );
  }

  private receive(message: FromWorker): void {
    if (this.inFlight.receive(message)) return;
    if (message.type === 'log') this.logger[message.level]({ worker: true }, message.message);
    else if (message.type === 'fatal')
      this.logger.error({ reason: message.message }, 'inference worker hit a fatal error');
  }

  private unavailable(hint: string): EngineStatus {
    this.state = { state: 'unavailable', hint };
    return this.state;
  }

  /** A model pulled while the server runs is picked up without a restart. */
  private recheckMissingModel(): void {
    if (this.closed || this.state.state !== 'unavailable' || this.modelFile.exists) return;
    const at = now();
    if (at - this.lastMissingCheck < RECHECK_MISSING_MS) return;
    this.lastMissingCheck = at;
    this.modelFile = resolveModelFile(this.config);
    if (!this.modelFile.exists) return;
    this.state = { state: 'loading', hint: null };
    this.loading = this.startWorker();
  }
}
