/**
 * Worker side: renders chat turns with the model's own chat template. The template is run by
 * node-llama-cpp's JinjaTemplateChatWrapper, which worker.ts constructs (it is the only file
 * that loads node-llama-cpp); this file only uses the instances it is handed.
 */
import type { ChatHistoryItem, ChatWrapper, LlamaModel, LlamaText, Token } from 'node-llama-cpp';
import type { ChatTurn } from '../engine.js';

/**
 * The template used when a model has none in its GGUF metadata (`tokenizer.chat_template`):
 * TinyLlama-1.1B-Chat's Zephyr format, so such models see the same layout as the default model:
 * `<|system|>\n{system}</s>\n<|user|>\n{message}</s>\n<|assistant|>\n`.
 */
export const DEFAULT_CHAT_TEMPLATE =
  "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n" +
  "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n" +
  "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n" +
  "{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

export interface RenderedPrompt {
  /** The prompt as the template wrote it, special tokens spelled out (`</s>`), no BOS. */
  text: string;
  /** What the model evaluates: BOS (when the model wants one) and the template's tokens. */
  tokens: Token[];
}

/** When to stop besides end-of-generation tokens: the template's own end-of-turn markers. */
export interface StopTriggers {
  tokens: Set<Token>;
  strings: string[];
}

type TextValueJson = { type: 'specialTokensText'; value: string } | { type: 'specialToken'; value: string };

export class PromptRenderer {
  readonly stopTriggers: StopTriggers;

  constructor(
    private readonly model: LlamaModel,
    private readonly wrapper: ChatWrapper,
  ) {
    const state = wrapper.generateContextState({ chatHistory: toHistory([{ role: 'user', content: 'x' }]) });
    this.stopTriggers = this.toStopTriggers(state.stopGenerationTriggers);
  }

  /** Renders the turns, then the assistant's generation prompt. */
  render(turns: ChatTurn[]): RenderedPrompt {
    const { contextText } = this.wrapper.generateContextState({ chatHistory: toHistory(turns) });
    const tokens = contextText.tokenize(this.model.tokenizer);
    // Like llama.cpp's server (and the HF tokenizer), start with BOS when the vocabulary asks for it:
    // the Zephyr template does not write one, and TinyLlama was trained with it.
    const bos = this.model.tokens.bos;
    if (bos !== null && this.model.tokens.shouldPrependBosToken && tokens[0] !== bos) tokens.unshift(bos);
    return { text: this.spell(contextText), tokens };
  }

  private spell(text: LlamaText): string {
    let out = '';
    for (const value of text.values) {
      if (typeof value === 'string') {
        out += value;
        continue;
      }
      const json = value.toJSON() as TextValueJson;
      out +=
        json.type === 'specialTokensText'
          ? json.value
          : this.model.detokenize(value.tokenize(this.model.tokenizer), true);
    }
    return out;
  }

  private toStopTriggers(triggers: readonly LlamaText[]): StopTriggers {
    const result: StopTriggers = { tokens: new Set(), strings: [] };
    for (const trigger of triggers) {
      const tokens = trigger.tokenize(this.model.tokenizer, 'trimLeadingSpace');
      if (tokens.length === 1 && tokens[0] !== undefined) result.tokens.add(tokens[0]);
      else if (tokens[0] !== undefined && this.model.isEogToken(tokens[0]))
        continue; // EOG stops anyway
      else {
        const text = this.spell(trigger);
        if (text !== '') result.strings.push(text);
      }
    }
    return result;
  }
}

function toHistory(turns: ChatTurn[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = turns.map((turn) => {
    if (turn.role === 'system') return { type: 'system', text: turn.content };
    if (turn.role === 'user') return { type: 'user', text: turn.content };
    return { type: 'model', response: [turn.content] };
  });
  history.push({ type: 'model', response: [] });
  return history;
}
