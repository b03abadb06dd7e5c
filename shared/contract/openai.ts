/**
 * The OpenAI wire format spoken under /v1, as OpenAI's own server writes it. Only what the
 * portal implements is described; clients ignore what they do not know.
 */
import { Type, type Static } from 'typebox';

/** `type` of an error, as OpenAI names them. */
export type OpenAiErrorType = 'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'server_error';

/** The body of every /v1 error. `param` names the request field at fault, when there is one. */
export const OpenAiErrorBody = Type.Object({
  error: Type.Object({
    message: Type.String(),
    type: Type.String(),
    param: Type.Union([Type.String(), Type.Null()]),
    code: Type.Union([Type.String(), Type.Null()]),
  }),
});
export interface OpenAiErrorBody {
  error: { message: string; type: OpenAiErrorType | (string & {}); param: string | null; code: string | null };
}

/** Everything the portal serves belongs to it. */
export const MODEL_OWNER = 'pocketllm';

export const OpenAiModel = Type.Object({
  id: Type.String(),
  object: Type.Literal('model'),
  /** Unix seconds. */
  created: Type.Integer(),
  owned_by: Type.String(),
});
export type OpenAiModel = Static<typeof OpenAiModel>;

/** GET /v1/models */
export const OpenAiModelList = Type.Object({ object: Type.Literal('list'), data: Type.Array(OpenAiModel) });
export type OpenAiModelList = Static<typeof OpenAiModelList>;

export const ModelParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });
