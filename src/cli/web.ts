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

const ADMIN_BUNDLE = path.join(ROOT, 'build/web/admin.js');
const ACCOUNT_MANIFEST = path.join(ROOT, 'build/web/account/manifest.json');

const builtAt = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

export async function ensureWebBuilt(): Promise<void> {
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'web/embed')),
    newestMtime(path.join(ROOT, 'web/admin')),
    newestMtime(path.join(ROOT, 'web/account')),
  );
  const built = [EMBED_BUNDLE, ADMIN_BUNDLE, ACCOUNT_MANIFEST].map(builtAt);
  if (Math.min(...built) >= sources) return;
  const { buildWeb } = await import('../../scripts/build-web.ts');
  await buildWeb();
}
