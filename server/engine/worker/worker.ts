/**
 * The inference worker thread, and the only module that loads node-llama-cpp. It answers the
 * messages of protocol.ts; the main thread's event loop never runs inference work.
 */
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import {
  getLlama,
  GgufFileType,
  JinjaTemplateChatWrapper,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import { DEFAULT_CHAT_TEMPLATE, PromptRenderer } from './chat-template.js';
import { EngineError } from '../engine-error.js';
import { InferenceRuntime } from './inference-runtime.js';
import { now, type FromWorker, type LoadedModel, type LoadSettings, type ToWorker } from '../protocol.js';

/** How long disposal may take before the worker exits anyway. */
const DISPOSE_TIMEOUT_MS = 10_000;

const port = parentPort;
if (port === null) throw new Error('worker.ts runs as a worker thread (engine-client starts it).');
const post = (message: FromWorker): void => port.postMessage(message);
const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string): void =>
  post({ type: 'log', level, message });

interface Loaded {
  llama: Llama;
  model?: LlamaModel;
  context?: LlamaContext;
  runtime?: InferenceRuntime;
}

let loaded: Loaded | null = null;
let shuttingDown = false;

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'load':
      void load(message.settings);
      break;
    case 'plan':
      answerPlan(message.id, message.messages, message.answerBudget);
      break;
    case 'generate':
      if (loaded?.runtime === undefined) post(notLoaded(message.id));
      else loaded.runtime.generate(message);
      break;
    case 'abort':
      loaded?.runtime?.abort(message.id);
      break;
    case 'dispose':
      void shutDown().then(() => {
        post({ type: 'disposed' });
        port.close();
      });
      break;
    case 'crash':
      if (process.env.NODE_ENV !== 'test') break; // a test hook: ignored in production
      if (message.how === 'exit') process.exit(1);
      setImmediate(() => {
        throw new Error('Crash requested through the test hook.');
      });
      break;
  }
});

// A bug anywhere in the worker: report it, free the model, exit. Letting the thread die with the
// model alive would take the whole process down (node-llama-cpp's native side throws on teardown).
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

function fatal(error: unknown): void {
  if (shuttingDown) return;
  post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
  void shutDown().finally(() => process.exit(1));
}

async function load(settings: LoadSettings): Promise<void> {
  const started = now();
  try {
    const llama = await getLlama({
      gpu: false,
      build: 'never',
      maxThreads: settings.threads,
      logLevel: LlamaLogLevel.warn,
      logger: (level, text) => log(level === LlamaLogLevel.warn ? 'warn' : 'error', text.trim()),
    });
    loaded = { llama };
    // No mmap: on x86 llama.cpp repacks the quantized weights into a second buffer, and with
    // mmap the file pages it read stay resident too (measured: see docs/benchmarks.md).
    const model = await llama.loadModel({ modelPath: settings.modelPath, gpuLayers: 0, useMmap: false });
    loaded.model = model;
    const context = await model.createContext({
      contextSize: settings.contextSize,
      sequences: settings.parallel,
      threads: settings.threads,
      // On CPU, llama.cpp's flash attention (node-llama-cpp's "auto" turns it on) slows down as
      // a conversation grows: both prompt evaluation and decode are slower over a long history
      // with it than without (measured: see docs/benchmarks.md, finding 3).
      flashAttention: false,
      failedCreationRemedy: false,
    });
    loaded.context = context;
    const { renderer, template } = createRenderer(model);
    loaded.runtime = new InferenceRuntime(model, context, renderer, settings, post);
    post({ type: 'loaded', model: describe(model, settings.modelPath, template, now() - started) });
  } catch (error) {
    await shutDown();
    post({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
  }
}

function createRenderer(model: LlamaModel): { renderer: PromptRenderer; template: LoadedModel['template'] } {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  if (typeof template === 'string' && template.trim() !== '') {
    try {
      const wrapper = new JinjaTemplateChatWrapper({ template, tokenizer: model.tokenizer });
      return { renderer: new PromptRenderer(model, wrapper), template: 'model' };
    } catch (error) {
      log(
        'warn',
        `The model's chat template cannot be used (${(error as Error).message}); using the default Zephyr-style template instead.`,
      );
    }
  } else {
    log('info', 'The model has no chat template (tokenizer.chat_template); using the default Zephyr-style template.');
  }
  const wrapper = new JinjaTemplateChatWrapper({ template: DEFAULT_CHAT_TEMPLATE, tokenizer: model.tokenizer });
  return { renderer: new PromptRenderer(model, wrapper), template: 'default' };
}

function describe(
  model: LlamaModel,
  modelPath: string,
  template: LoadedModel['template'],
  loadTimeMs: number,
): LoadedModel {
  const general = model.fileInfo.metadata.general;
  const fileType = general.file_type === undefined ? undefined : GgufFileType[general.file_type];
  return {
    name: general.name?.trim() || path.basename(modelPath, '.gguf'),
    architecture: general.architecture ?? null,
    parameters: model.fileInsights.totalParameters || null,
    quantization: fileType?.replace(/^(MOSTLY|ALL)_/, '') ?? null,
    template,
    loadTimeMs: Math.round(loadTimeMs),
  };
}

function answerPlan(id: number, messages: Parameters<InferenceRuntime['plan']>[0], answerBudget: number): void {
  if (loaded?.runtime === undefined) return post(notLoaded(id));
  try {
    post({ type: 'planned', id, plan: loaded.runtime.plan(messages, answerBudget).plan });
  } catch (error) {
    const engineError = error instanceof EngineError ? error : new EngineError('internal', (error as Error).message);
    post({ type: 'failed', id, code: engineError.code, message: engineError.message });
  }
}

function notLoaded(id: number): FromWorker {
  return { type: 'failed', id, code: 'model_unavailable', message: 'The model is not loaded yet.' };
}

/** Stops generations, then disposes context, model and llama, in that order. */
async function shutDown(): Promise<void> {
  if (shuttingDown || loaded === null) return;
  shuttingDown = true;
  const current = loaded;
  const dispose = async (): Promise<void> => {
    await current.runtime?.stop();
    await current.context?.dispose();
    await current.model?.dispose();
    await current.llama.dispose();
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, DISPOSE_TIMEOUT_MS);
  });
  await Promise.race([
    dispose().catch((error: unknown) => log('error', `Disposing the model failed: ${String(error)}`)),
    timeout,
  ]);
  clearTimeout(timer);
  loaded = null;
}
