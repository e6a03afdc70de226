/** Builds the browser bundles before the server starts when they are missing or out of date. */
import fs from 'node:fs';
import path from 'node:path';
import { EMBED_BUNDLE, ROOT } from '../server/static.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

export async function ensureWebBuilt(): Promise<void> {
  const built = fs.existsSync(EMBED_BUNDLE) ? fs.statSync(EMBED_BUNDLE).mtimeMs : 0;
  if (built >= newestMtime(path.join(ROOT, 'web/embed'))) return;
  const { buildWeb } = await import('../../scripts/build-web.ts');
  await buildWeb();
}
