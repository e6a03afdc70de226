#!/usr/bin/env node
// Entry point of the `parley` command. It runs the server's bundle (build/server/parley.mjs, made
// by `npm run build`, which `npm start` and `npm test` run first) when the bundle is newer than
// every source it depends on, and otherwise the TypeScript sources through tsx's loader, which
// costs the process about 37 MB more for its lifetime. So a change to the sources is never missed,
// with or without a build; see docs/architecture.md.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'build/server/parley.mjs');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The bundle holds src/. It must also be newer than web/ and scripts/: when the browser bundles
 * are stale the server imports the web build, a TypeScript file that only the sources can run.
 */
function bundleIsFresh() {
  if (!fs.existsSync(bundle)) return false;
  const built = fs.statSync(bundle).mtimeMs;
  return ['src', 'web', 'scripts'].every((dir) => newestMtime(path.join(root, dir)) <= built);
}

async function load() {
  if (bundleIsFresh()) return import(bundle);
  console.warn(
    'parley: running the TypeScript sources, as the server bundle is missing or older than them ' +
      '(`npm run build` makes it, and a lighter process)',
  );
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

const { main, UsageError, StartError } = await load();
try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`parley: ${error.message}\nRun "parley --help" for usage.`);
    process.exitCode = 2;
  } else if (error instanceof StartError) {
    console.error(`parley: ${error.message}`);
    process.exitCode = 1;
    // The server closed what it had opened; should anything still hold the process, a server that
    // cannot serve must not linger as if it did.
    setTimeout(() => process.exit(1), 5000).unref();
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
