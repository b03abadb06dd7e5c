/**
 * Worker side: the grammars that constrain an answer to JSON. A grammar is compiled once per
 * distinct request (a schema is usually sent again and again by the same tool) and each answer
 * samples with a fresh evaluation state of it.
 */
import { LRUCache } from 'lru-cache';
import { LlamaGrammarEvaluationState, type LlamaGrammar, type LlamaModel } from 'node-llama-cpp';
import { EngineError } from '../engine-error.js';
import type { GrammarSpec } from '../engine.js';

/** Compiled grammars kept for reuse. */
const GRAMMARS_KEPT = 16;
/**
 * node-llama-cpp's JSON grammars let the model end an answer with four newlines (the schema
 * grammar requires them); the answer ends there, as node-llama-cpp's own chat session does it.
 */
export const GRAMMAR_STOP = '\n\n\n\n';

export class Grammars {
  private readonly compiled = new LRUCache<string, Promise<LlamaGrammar>>({ max: GRAMMARS_KEPT });

  constructor(private readonly model: LlamaModel) {}

  /** A fresh evaluation state for one answer; throws EngineError('invalid_grammar') for a schema it cannot build. */
  async stateFor(spec: GrammarSpec): Promise<LlamaGrammarEvaluationState> {
    const key = JSON.stringify(spec);
    let grammar = this.compiled.get(key);
    if (grammar === undefined) {
      grammar = this.compile(spec);
      this.compiled.set(key, grammar);
      grammar.catch(() => this.compiled.delete(key));
    }
    return new LlamaGrammarEvaluationState({ model: this.model, grammar: await grammar });
  }

  private async compile(spec: GrammarSpec): Promise<LlamaGrammar> {
    const { llama } = this.model;
    try {
      if (spec.type === 'json') return await llama.getGrammarFor('json');
      // The schema arrives as plain JSON; its type parameters only serve literal schemas in code.
      return await llama.createGrammarForJsonSchema(spec.schema as never);
    } catch (error) {
      throw new EngineError(
        'invalid_grammar',
        `The JSON schema cannot be turned into a grammar: ${(error as Error).message}`,
      );
    }
  }
}
