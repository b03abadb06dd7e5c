import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { EngineErrorCode } from '../../../server/engine/engine.js';
import type { AppError } from '../../../server/errors.js';
import type { ServerErrorFrame } from '../../../shared/contract/chat-frames.js';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../../shared/contract/errors.js';

const serverDir = fileURLToPath(new URL('../../../server/', import.meta.url));

// Compile-time: every code the server can raise is in the union, and both transports carry it.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Within<A, B> = [A] extends [B] ? true : false;
const typeChecks: [
  Within<EngineErrorCode, ErrorCode>,
  Same<AppError['code'], ErrorCode>,
  Same<ServerErrorFrame['code'], ErrorCode>,
  Same<ErrorBody['error']['code'], ErrorCode>,
] = [true, true, true, true];

/** Code literals as the server writes them: `code: 'x'`, `AppError(400, 'x'`, `EngineError('x'`, `errorBody('x'`, `429: 'x'`. */
const CODE_LITERAL = /(?:\bcode:\s*|AppError\(\s*\d+,\s*|EngineError\(\s*|errorBody\(\s*|\b[45]\d\d:\s*)'([a-z_]+)'/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

t.test('every error code the server writes is in the contract union', async (t) => {
  t.same(typeChecks, [true, true, true, true]);
  const known = new Set<string>(ERROR_CODES);
  const found = new Map<string, string>();
  for (const file of sourceFiles(serverDir)) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(CODE_LITERAL))
      found.set(match[1]!, path.relative(serverDir, file));
  }
  // The scan must see the codes at all, or it would pass by finding nothing.
  t.ok(found.size >= 10, `found ${found.size} codes: ${[...found.keys()].join(', ')}`);
  for (const [code, file] of found) t.ok(known.has(code), `"${code}" (server/${file}) is an ErrorCode`);
  t.equal(new Set(ERROR_CODES).size, ERROR_CODES.length, 'no code listed twice');
});
