import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker module `name` that sits next to the caller (`callerUrl`: its import.meta.url).
 * From TypeScript source (tests, `npm run dev`) it is `name.ts`, with tsx registered inside the
 * thread: on Node 20 a Worker's `--import tsx` does not reach the thread's module loader. From
 * the compiled build it is plain `name.js`.
 */
export function spawnWorker(callerUrl: string, name: string, options: Pick<WorkerOptions, 'workerData'> = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { ...options, eval: true, execArgv: [] });
}
