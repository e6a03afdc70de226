/** Builds the browser bundles before the server starts when they are missing or out of date. */
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_MANIFEST } from '../server/admin-page.ts';
import { EMBED_LOADER, EMBED_MANIFEST, ROOT } from '../server/static.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const ACCOUNT_MANIFEST = path.join(ROOT, 'build/web/account/manifest.json');

const builtAt = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

export async function ensureWebBuilt(): Promise<void> {
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'web/embed')),
    newestMtime(path.join(ROOT, 'web/admin')),
    newestMtime(path.join(ROOT, 'web/account')),
  );
  // Each part's manifest is written after its files (scripts/build-web.ts).
  const built = [EMBED_LOADER, EMBED_MANIFEST, ADMIN_MANIFEST, ACCOUNT_MANIFEST].map(builtAt);
  if (Math.min(...built) >= sources) return;
  const { buildWeb } = await import('../../scripts/build-web.ts');
  await buildWeb();
}
