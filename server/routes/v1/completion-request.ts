import { Ajv } from 'ajv';
import type { ChatTurn, GrammarSpec } from '../../engine/engine.js';
import type { CompletionRequest } from '../../services/completion-service.js';
import type { ChatCompletionRequest, ChatMessage, ResponseFormat } from '../../../shared/contract/openai.js';
import { invalidRequest } from './openai-errors.js';

/** Compiles callers' JSON schemas only to tell a broken one from a usable one. */
const schemaChecker = new Ajv({ strict: false, allErrors: false });

/**
 * The portal's request for an OpenAI chat completion body that passed the schema. Throws a 400
 * OpenAiError for what the schema cannot say: more than one choice, tools, a broken JSON schema.
 */
export function completionRequest(body: ChatCompletionRequest): CompletionRequest {
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw invalidRequest('Only n=1 is supported: this server makes one choice per request.', 'n');
  }
  for (const param of ['tools', 'tool_choice'] as const) {
    if (body[param] !== undefined && body[param] !== null) {
      throw invalidRequest(`'${param}' is not supported by this model: it cannot call tools.`, param);
    }
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const stop = typeof body.stop === 'string' ? [body.stop] : (body.stop ?? undefined);
  const grammar = grammarOf(body.response_format ?? undefined);
  return {
    messages: body.messages.map(turnOf),
    sampling: {
      ...(body.temperature == null ? {} : { temperature: body.temperature }),
      ...(body.top_p == null ? {} : { topP: body.top_p }),
      ...(maxTokens === undefined ? {} : { maxTokens }),
      ...(body.seed == null ? {} : { seed: body.seed }),
      ...(stop?.length ? { stop } : {}),
      ...(grammar === undefined ? {} : { grammar }),
    },
  };
}

function turnOf(message: ChatMessage): ChatTurn {
  const content = typeof message.content === 'string' ? message.content : message.content.map((p) => p.text).join('');
  return { role: message.role, content };
}

function grammarOf(format: ResponseFormat | undefined): GrammarSpec | undefined {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object' || format.json_schema.schema === undefined) return { type: 'json' };
  const { schema } = format.json_schema;
  try {
    schemaChecker.compile(schema);
  } catch (error) {
    throw invalidRequest(
      `Invalid schema for response_format '${format.json_schema.name}': ${(error as Error).message}`,
      'response_format',
    );
  }
  return { type: 'json_schema', schema };
}
