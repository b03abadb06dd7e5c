/**
 * `npm run bench -- [suite] [options]`: the one entry to every benchmark. The suite defaults to
 * `full`; an unknown one prints the list and exits 1. Options go to the suite
 * (`npm run bench -- full --help` lists the portal bench's).
 */
import { pickSuite, suiteList } from './suites.js';

const { name, suite, rest } = pickSuite(process.argv.slice(2));
if (suite) {
  await suite.run(rest);
} else {
  console.error(`Unknown bench suite "${name}". Usage: npm run bench -- [suite] [options]\n\nSuites:\n${suiteList()}`);
  process.exitCode = 1;
}
