import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import { testConfig } from '../helpers/config.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const TINY_MODEL = path.resolve(REPO, 'test/fixtures/models/tiny-random-zephyr.gguf');
export const WEB_DIST = path.join(REPO, 'dist/web');
export const SCREENSHOTS = path.join(REPO, 'test/browser/screenshots');
/** Debian's Chromium (never a downloaded browser build). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

interface Teardown {
  teardown(fn: () => unknown): void;
}

// ---------------------------------------------------------------- the web build

function newestMtime(target: string): number {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

/**
 * Builds the SPA into dist/web when it is missing or older than its sources, so the tests
 * never run against a stale bundle. A lock directory keeps parallel test files from
 * building over each other.
 */
export function ensureWebBuild(): void {
  const index = path.join(WEB_DIST, 'index.html');
  const sources = Math.max(newestMtime(path.join(REPO, 'web')), newestMtime(path.join(REPO, 'shared')));
  const fresh = () => fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources;
  if (fresh()) return;
  const lock = path.join(REPO, 'dist', '.web-build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than 3 minutes was left by a crash.
      if (fs.existsSync(lock) && Date.now() - fs.statSync(lock).mtimeMs > 180_000)
        fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (!fresh()) {
      execFileSync(
        process.execPath,
        [
          path.join(REPO, 'node_modules/vite/bin/vite.js'),
          'build',
          '--config',
          'web/vite.config.ts',
          '--logLevel',
          'error',
        ],
        {
          cwd: REPO,
          stdio: 'inherit',
        },
      );
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the portal

export interface Portal {
  app: FastifyInstance;
  config: Config;
  /** http://127.0.0.1:<port> */
  url: string;
}

function tempDir(t: Teardown, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The real portal (buildApp) with the tiny model on a temp DATA_DIR, listening on a free
 * port, serving the freshly built SPA. Small answers keep the journeys quick.
 */
export async function startPortal(t: Teardown, overrides: Partial<Config> = {}): Promise<Portal> {
  ensureWebBuild();
  const config = testConfig({
    dataDir: tempDir(t, 'pocketllm-browser-data-'),
    modelsDir: tempDir(t, 'pocketllm-browser-models-'),
    modelPath: TINY_MODEL,
    host: '127.0.0.1',
    port: 0,
    contextSize: 512,
    maxTokens: 48,
    parallel: 2,
    threads: 1,
    ...overrides,
  });
  const app = await buildApp(config);
  t.teardown(() => app.close());
  if (!app.hasPlugin('static'))
    throw new Error('buildApp did not register server/plugins/static.ts: the SPA would not be served');
  await app.listen({ host: config.host, port: 0 });
  const engine = await app.engine.ready();
  if (engine.state !== 'ready') throw new Error(`the model did not load: ${engine.hint}`);
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the portal is not listening on a TCP port');
  return { app, config, url: `http://127.0.0.1:${address.port}` };
}

/** Creates the first admin through the setup route (as a fresh install would). */
export async function createAdmin(portal: Portal, username = 'admin'): Promise<void> {
  const res = await portal.app.inject({
    method: 'POST',
    url: '/api/auth/setup',
    payload: { username, password: PASSWORD },
  });
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
}

/** Creates a user through the admin API, as an admin would. */
export async function createUser(
  portal: Portal,
  username: string,
  role: 'admin' | 'user' = 'user',
  admin = 'admin',
): Promise<void> {
  const login = await portal.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: admin, password: PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`admin login failed: ${login.body}`);
  const token = login.json<{ accessToken: string }>().accessToken;
  const res = await portal.app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: { authorization: `Bearer ${token}` },
    payload: { username, password: PASSWORD, role },
  });
  if (res.statusCode !== 201) throw new Error(`create user failed: ${res.statusCode} ${res.body}`);
}

// ---------------------------------------------------------------- the browser

export async function launchBrowser(t: Teardown): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  return browser;
}

/** What a page did that a journey may want to assert on. */
export interface PageLog {
  /** JavaScript dialogs (alert, confirm, prompt): an injected script would show here. */
  dialogs: string[];
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Console messages about the Content-Security-Policy. */
  cspViolations: string[];
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  log: PageLog;
}

/** A fresh browser profile (no cookies) on the portal, recording dialogs, errors and CSP reports. */
export async function openTab(browser: Browser, portal: Portal, viewport = DESKTOP): Promise<Tab> {
  const context = await browser.newContext({ baseURL: portal.url, viewport, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const log: PageLog = { dialogs: [], errors: [], cspViolations: [] };
  page.on('dialog', (dialog) => {
    log.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (error) => log.errors.push(error.message));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) log.cspViolations.push(message.text());
  });
  return { context, page, log };
}

/** Signs in through the login form and waits until the app has left /login. */
export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/login')) await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Saves a screenshot of the journey's end to test/browser/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Types a message in the composer and sends it with Enter. */
export async function sendChat(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** The last answer on screen, once it has finished (complete, stopped, interrupted or error). */
export async function lastFinishedAnswer(page: Page) {
  const answer = page.locator('article.msg-assistant').last();
  await answer
    .and(
      page.locator(
        '[data-status="complete"], [data-status="stopped"], [data-status="error"], [data-status="interrupted"]',
      ),
    )
    .waitFor();
  return answer;
}
