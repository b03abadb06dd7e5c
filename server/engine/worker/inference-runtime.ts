/**
 * Worker side: plans and runs generations on a loaded model. worker.ts loads the model and
 * hands the instances over; this file only uses them.
 */
import { LRUCache } from 'lru-cache';
import type { LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import type { PromptRenderer } from './chat-template.js';
import { fitToContext, type BudgetedPrompt } from './context-budget.js';
import { EngineError } from '../engine-error.js';
import type { ChatTurn } from '../engine.js';
import { generateAnswer } from './generation.js';
import { GRAMMAR_STOP, Grammars } from './grammars.js';
import { planKey } from '../plan-key.js';
import type { FromWorker, LoadSettings, ResolvedSampling } from '../protocol.js';
import { SequencePool, type Slot } from './sequence-pool.js';

/** Plans kept so that generate() after plan() for the same messages renders only once. */
const PLAN_CACHE_SIZE = 16;
/**
 * How long the engine must have been idle after an answer before it evaluates the next turn's
 * opening (prefillNextTurn). Nobody sends their next message this soon after an answer ends, and
 * work done while requests keep coming would only delay them.
 */
const PREFILL_AFTER_IDLE_MS = 250;

export interface GenerateCommand {
  id: number;
  sessionKey: string | null;
  messages: ChatTurn[];
  sampling: ResolvedSampling;
}

export class InferenceRuntime {
  private readonly pool: SequencePool;
  private readonly active = new Set<number>();
  private readonly aborted = new Set<number>();
  private readonly running = new Set<Promise<void>>();
  private readonly prefillTimers = new Set<NodeJS.Timeout>();
  private readonly plans = new LRUCache<string, BudgetedPrompt>({ max: PLAN_CACHE_SIZE });
  private readonly grammars: Grammars;
  private stopping = false;
  private readonly detokenize = (tokens: Token[], lastTokens: Token[]): string =>
    this.model.detokenize(tokens, true, lastTokens);

  constructor(
    private readonly model: LlamaModel,
    context: LlamaContext,
    private readonly renderer: PromptRenderer,
    private readonly settings: LoadSettings,
    private readonly post: (message: FromWorker) => void,
  ) {
    const sequences = Array.from({ length: settings.parallel }, () => context.getSequence());
    this.pool = new SequencePool(sequences);
    this.grammars = new Grammars(model);
  }

  /** Throws EngineError('context_overflow') when the newest message alone cannot fit. */
  plan(messages: ChatTurn[], answerBudget: number): BudgetedPrompt {
    const key = planKey(messages, answerBudget);
    const cached = this.plans.get(key);
    if (cached !== undefined) return cached;
    const budgeted = fitToContext(messages, (turns) => this.renderer.render(turns), {
      contextSize: this.settings.contextSize,
      answerBudget,
    });
    this.plans.set(key, budgeted);
    return budgeted;
  }

  generate(command: GenerateCommand): void {
    this.active.add(command.id);
    const run = this.run(command).finally(() => {
      this.running.delete(run);
      this.active.delete(command.id);
      this.aborted.delete(command.id);
    });
    this.running.add(run);
  }

  abort(id: number): void {
    if (this.active.has(id)) this.aborted.add(id);
  }

  /** Aborts every generation and waits for their sequences to be released. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.prefillTimers) clearTimeout(timer);
    await Promise.allSettled([...this.running]);
  }

  private async run(command: GenerateCommand): Promise<void> {
    const { id, sampling } = command;
    let slot: Slot | null = null;
    /** What the conversation's next turn will start from, when this answer ended normally. */
    let next: { turns: ChatTurn[]; answer: string } | null = null;
    try {
      const budgeted = this.plan(command.messages, sampling.maxTokens);
      const grammar = sampling.grammar === null ? undefined : await this.grammars.stateFor(sampling.grammar);
      slot = this.pool.acquire(command.sessionKey);
      const { tokens, reused } = await this.pool.reuse(slot, budgeted.tokens, this.detokenize);
      this.post({ type: 'start', id, plan: budgeted.plan });
      let answer = '';
      const result = await generateAnswer({
        model: this.model,
        sequence: slot.sequence,
        tokens,
        reused,
        sampling,
        stopTokens: this.renderer.stopTriggers.tokens,
        stopStrings: grammar
          ? [...this.renderer.stopTriggers.strings, GRAMMAR_STOP]
          : this.renderer.stopTriggers.strings,
        grammar,
        contextSize: this.settings.contextSize,
        isAborted: () => this.stopping || this.aborted.has(id),
        beforeNextToken: () => this.pool.pauseForCuts(),
        onText: (text) => {
          answer += text;
          this.post({ type: 'token', id, text });
        },
      });
      this.post({
        type: 'done',
        id,
        ...result,
        promptTokens: tokens.length,
        cachedPromptTokens: reused,
        includedMessages: budgeted.plan.includedMessages,
        droppedMessages: budgeted.plan.droppedMessages,
      });
      if (result.finishReason !== 'abort' && command.sessionKey !== null && answer.trim() !== '') {
        next = { turns: budgeted.turns, answer };
      }
    } catch (error) {
      if (slot !== null && !(error instanceof EngineError)) {
        // The KV cache may hold half an evaluation: do not offer it for reuse.
        await this.pool.clear(slot);
      }
      this.post(failure(id, error));
    } finally {
      if (slot !== null) this.pool.release(slot);
      if (slot !== null && next !== null) this.prefillWhenIdle(slot, next.turns, next.answer);
    }
  }

  /** Prefills the next turn once nothing has run for a while and the sequence is as it was left. */
  private prefillWhenIdle(slot: Slot, turns: ChatTurn[], answer: string): void {
    const left = slot.lastUsed;
    const timer = setTimeout(() => {
      this.prefillTimers.delete(timer);
      if (this.stopping || slot.busy || slot.lastUsed !== left) return;
      if (this.active.size > 0) return this.prefillWhenIdle(slot, turns, answer);
      this.prefillNextTurn(slot, turns, answer);
    }, PREFILL_AFTER_IDLE_MS);
    this.prefillTimers.add(timer);
  }

  /**
   * The tokens every next turn of this conversation starts with: the prompt rendered with the
   * answer and a next user message, up to where that message's text begins (two renders with
   * different messages part there), evaluated into the released sequence (SequencePool.prefill).
   */
  private prefillNextTurn(slot: Slot, turns: ChatTurn[], answer: string): void {
    const withAnswer: ChatTurn[] = [...turns, { role: 'assistant', content: answer }];
    const a = this.renderer.render([...withAnswer, { role: 'user', content: 'a' }]).tokens;
    const b = this.renderer.render([...withAnswer, { role: 'user', content: 'b' }]).tokens;
    let shared = 0;
    while (shared < a.length && a[shared] === b[shared]) shared++;
    if (shared >= this.settings.contextSize) return;
    const work = this.pool.prefill(slot, a.slice(0, shared), this.detokenize);
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }
}

function failure(id: number, error: unknown): FromWorker {
  if (error instanceof EngineError) return { type: 'failed', id, code: error.code, message: error.message };
  const reason = error instanceof Error ? error.message : String(error);
  return { type: 'failed', id, code: 'internal', message: `Generation failed in the inference worker: ${reason}` };
}
