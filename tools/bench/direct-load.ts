/**
 * node-llama-cpp loaded as the portal's worker loads it (CPU only, no mmap: on x86 llama.cpp
 * repacks the weights into its own buffers and mapped pages would only add RSS; flash attention
 * off), for the benchmarks that measure it alone.
 */
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

export interface DirectLoadSettings {
  modelPath: string;
  threads: number;
  contextSize: number;
  sequences: number;
}

export async function loadDirect(settings: DirectLoadSettings) {
  const llama = await getLlama({
    gpu: false,
    build: 'never',
    maxThreads: settings.threads,
    logLevel: LlamaLogLevel.error,
  });
  const model = await llama.loadModel({ modelPath: settings.modelPath, gpuLayers: 0, useMmap: false });
  const context = await model.createContext({
    contextSize: settings.contextSize,
    sequences: settings.sequences,
    threads: settings.threads,
    flashAttention: false,
    failedCreationRemedy: false,
  });
  return {
    model,
    context,
    async dispose(): Promise<void> {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
