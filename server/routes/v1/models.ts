import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Engine } from '../../engine/engine.js';
import { MODEL_OWNER, ModelParams, OpenAiModel, OpenAiModelList } from '../../../shared/contract/openai.js';
import { modelNotFound } from './openai-errors.js';

/** The id clients send as `model`: the loaded model's file name without `.gguf`; null while none is loaded. */
export function loadedModelId(engine: Engine): string | null {
  const info = engine.model();
  if (!info.loaded || info.file === null) return null;
  return info.file.replace(/\.gguf$/i, '');
}

/** GET /v1/models and /v1/models/{id}: the model this portal serves, in OpenAI's shape. */
const modelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // OpenAI's `created` is when a model was published; here, when this process began serving it.
  const created = Math.floor(Date.now() / 1000);
  const modelOf = (id: string): OpenAiModel => ({ id, object: 'model', created, owned_by: MODEL_OWNER });

  app.get('/models', { schema: { response: { 200: OpenAiModelList } } }, async () => {
    const id = loadedModelId(app.engine);
    return { object: 'list' as const, data: id === null ? [] : [modelOf(id)] };
  });

  app.get('/models/:id', { schema: { params: ModelParams, response: { 200: OpenAiModel } } }, async (request) => {
    if (request.params.id !== loadedModelId(app.engine)) throw modelNotFound(request.params.id);
    return modelOf(request.params.id);
  });
};

export default modelRoutes;
