import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

/**
 * Lets tap load web/src modules in Node. They are written for Vite: `@/` and `@shared/`
 * aliases and extensionless relative imports, which Node's resolver refuses. This resolve hook
 * maps the aliases (as web/vite.config.ts does) and finds the .ts/.tsx file; ts-node (tap's
 * loader) then compiles it. Import this first, then load web modules with `await import()`:
 * static imports are resolved before any module code runs.
 */
const repoRoot = path.resolve(import.meta.dirname, '../..');
const webSrc = pathToFileURL(path.join(repoRoot, 'web/src') + '/').href;
const shared = pathToFileURL(path.join(repoRoot, 'shared') + '/').href;

const hooks = `
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
const aliases = [['@/', ${JSON.stringify(webSrc)}], ['@shared/', ${JSON.stringify(shared)}]];
const roots = aliases.map(([, dir]) => dir);
const isFile = (file) => statSync(file, { throwIfNoEntry: false })?.isFile() === true;

function fileOf(url) {
  const file = fileURLToPath(url);
  for (const candidate of [file, file + '.ts', file + '.tsx', file + '/index.ts']) {
    if (isFile(candidate)) return pathToFileURL(candidate).href;
  }
  return null;
}

export async function resolve(specifier, context, next) {
  const alias = aliases.find(([prefix]) => specifier.startsWith(prefix));
  let target = null;
  if (alias) target = new URL(specifier.slice(alias[0].length), alias[1]).href;
  else if (specifier.startsWith('.') && roots.some((root) => context.parentURL?.startsWith(root))) target = new URL(specifier, context.parentURL).href;
  const url = target && fileOf(target);
  // Anything else (packages, shared/'s NodeNext-style .js imports) goes on to ts-node.
  return url ? { url, shortCircuit: true } : next(target ?? specifier, context);
}
`;

register(`data:text/javascript,${encodeURIComponent(hooks)}`);
