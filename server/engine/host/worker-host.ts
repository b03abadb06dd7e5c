/**
 * Main thread: starts the inference worker, loads the model in it and shuts it down. Tells its
 * owner when the worker dies unexpectedly; restarting is the owner's decision.
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, LoadedModel, LoadSettings, ToWorker } from '../protocol.js';

/** How long a graceful shutdown may take before the worker is terminated. */
const CLOSE_TIMEOUT_MS = 15_000;

export type LoadResult = { ok: true; model: LoadedModel } | { ok: false; message: string };

export interface WorkerHostHandlers {
  /** Every message except the load and dispose answers, which the host consumes. */
  onMessage(message: FromWorker): void;
  /** The worker died without being asked to (a fatal error or an exit). */
  onCrash(reason: string): void;
}

export class WorkerHost {
  /** Resolves when the thread has ended. */
  readonly exited: Promise<void>;
  private readonly worker: Worker;
  private closing = false;
  private gone = false;
  /** Set once the worker reported a fatal error or exited: its messages no longer count. */
  private crashed = false;
  private fatalReason: string | null = null;
  private loadSettled: ((result: LoadResult) => void) | null = null;

  constructor(private readonly handlers: WorkerHostHandlers) {
    this.worker = spawnWorker();
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('message', (message: FromWorker) => this.receive(message));
    this.worker.on('error', (error) => {
      this.fatalReason ??= error.message;
    });
    this.worker.on('exit', (code) => this.onExit(code));
  }

  /** Loads the model; resolves with the outcome (also when the worker dies while loading). */
  load(settings: LoadSettings): Promise<LoadResult> {
    return new Promise((resolve) => {
      this.loadSettled = resolve;
      this.send({ type: 'load', settings });
    });
  }

  send(message: ToWorker): void {
    if (!this.gone && !this.crashed) this.worker.postMessage(message);
  }

  /** Disposes the model in the worker and waits for the thread to end (terminates it if stuck). */
  async close(): Promise<void> {
    if (this.gone) return;
    this.closing = true;
    if (!this.crashed) this.send({ type: 'dispose' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
    });
    const outcome = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.worker.terminate();
  }

  private receive(message: FromWorker): void {
    if (this.crashed) return;
    if (message.type === 'loaded' || message.type === 'load-failed') {
      const settle = this.loadSettled;
      this.loadSettled = null;
      settle?.(
        message.type === 'loaded' ? { ok: true, model: message.model } : { ok: false, message: message.message },
      );
      return;
    }
    if (message.type === 'disposed') return;
    if (message.type === 'fatal') {
      // The worker is going down (it frees the model first): its requests are lost now, so the
      // owner hears at once rather than when the thread finally ends.
      this.fatalReason = message.message;
      this.crash(message.message);
      return;
    }
    this.handlers.onMessage(message);
  }

  private onExit(code: number): void {
    this.gone = true;
    this.crash(this.fatalReason ?? `the worker exited with code ${code}`);
  }

  private crash(reason: string): void {
    if (this.crashed) return;
    this.crashed = true;
    const settle = this.loadSettled;
    this.loadSettled = null;
    // Dying while loading is the load's failure, reported once, through load().
    if (settle !== null)
      settle({ ok: false, message: `The inference worker stopped while loading the model: ${reason}` });
    else if (!this.closing) this.handlers.onCrash(reason);
  }
}

/**
 * The worker entry is addressed by URL, never imported: the host loads none of the worker's
 * modules. From TypeScript source (tests, `npm run dev`) it is worker/worker.ts, with tsx
 * registered inside the thread: on Node 20 a Worker's `--import tsx` does not reach the
 * thread's module loader. From the compiled build it is plain worker/worker.js.
 */
function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('../worker/worker.js', import.meta.url));
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('../worker/worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: [] });
}
