/**
 * The portal under test: `node --import tsx server/main.ts` as a child process, configured by
 * environment only (as in production), listening on 127.0.0.1 with its own temporary DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './http.js';
import { readProcMemory, type ProcMemory } from './proc-memory.js';
import { stopChild } from './stop-child.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface PortalSettings {
  modelPath: string;
  threads: number;
  contextSize: number;
  parallel: number;
  /** Unset: the in-process memory cache only. */
  redisUrl?: string;
  /** CACHE_MEMORY_MB; unset: the portal's default. */
  cacheMemoryMb?: number;
  adminUsername: string;
  adminPassword: string;
}

export class PortalServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly dataDir: string,
    readonly logFile: string,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get wsUrl(): string {
    return `${this.baseUrl.replace(/^http/, 'ws')}/api/chat/ws`;
  }

  /** Starts the server and waits until /readyz says the model is loaded. */
  static async start(settings: PortalSettings, timeoutMs: number): Promise<PortalServer> {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketllm-bench-'));
    const logFile = path.join(dataDir, 'server.log');
    const log = fs.openSync(logFile, 'a');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.homedir(),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MODEL_PATH: settings.modelPath,
      CONTEXT_SIZE: String(settings.contextSize),
      PARALLEL: String(settings.parallel),
      THREADS: String(settings.threads),
      MAX_QUEUE: '64',
      ADMIN_USERNAME: settings.adminUsername,
      ADMIN_PASSWORD: settings.adminPassword,
      LOG_LEVEL: 'warn',
      ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
      ...(settings.cacheMemoryMb === undefined ? {} : { CACHE_MEMORY_MB: String(settings.cacheMemoryMb) }),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const server = new PortalServer(child, `http://127.0.0.1:${port}`, dataDir, logFile);
    try {
      await server.waitReady(timeoutMs);
    } catch (error) {
      await server.stop();
      throw new Error(`${(error as Error).message}\n--- server log ---\n${server.logTail()}`);
    }
    return server;
  }

  memory(): ProcMemory {
    return readProcMemory(this.pid);
  }

  logTail(lines = 20): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** SIGTERM (graceful), SIGKILL after 15 s; removes the temporary DATA_DIR. */
  async stop(): Promise<void> {
    await stopChild(this.child, 15_000);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`the portal exited with code ${this.child.exitCode} while starting`);
      try {
        const response = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (response.status === 200) return;
        last = `${response.status} ${await response.text()}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the portal was not ready within ${timeoutMs} ms (last /readyz: ${last})`);
  }
}
