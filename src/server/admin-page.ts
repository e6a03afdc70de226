/**
 * The moderation dashboard's page: `GET /admin` and every client route under it answer with
 * web/admin/index.html, its script and stylesheet pointed at the files the last build wrote
 * (build/web/admin/, named by their contents' hash in manifest.json; `npm run build:web`), which
 * are served under /admin/assets/ compressed and cached for good (src/server/assets.ts). The page
 * itself is read again when it or the manifest changes on disk and carries an ETag, and browsers
 * revalidate it every time, so moderators get a new build at once.
 * The page gets the same strict Content-Security-Policy as Parley's other pages (see
 * security-headers.ts): it loads only these two same-origin files and uses no inline code; only
 * the mail it previews may carry inline styles, known in advance by their hashes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../domain/errors.ts';
import { MAIL_STYLE_SOURCES } from '../mail/templates.ts';
import { HashedFiles } from './assets.ts';
import { securityHeaders } from './security-headers.ts';
import { ROOT } from './static.ts';

export const ADMIN_PAGE = path.join(ROOT, 'web/admin/index.html');
export const ADMIN_DIR = path.join(ROOT, 'build/web/admin');
export const ADMIN_MANIFEST = path.join(ADMIN_DIR, 'manifest.json');

/** What scripts/build-web.ts writes beside the dashboard's files (AdminManifest there). */
interface AdminManifest {
  readonly script: string;
  readonly style: string;
}

/**
 * The dashboard's files as the last build named them (read from the manifest when asked; before a
 * build, paths that do not exist). For tools and tests that check the build is there.
 */
export const ADMIN_ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  get 'admin.js'() {
    return { file: builtFile('script'), type: 'text/javascript; charset=utf-8' };
  },
  get 'admin.css'() {
    return { file: builtFile('style'), type: 'text/css; charset=utf-8' };
  },
};

function builtFile(kind: keyof AdminManifest): string {
  try {
    const manifest = JSON.parse(readFileSync(ADMIN_MANIFEST, 'utf8')) as AdminManifest;
    return path.join(ADMIN_DIR, manifest[kind]);
  } catch {
    return path.join(ADMIN_DIR, kind === 'script' ? 'admin.js' : 'admin.css');
  }
}

/** The names index.html refers to, replaced by the built files' names. */
const SCRIPT_REFERENCE = '/admin/assets/admin.js';
const STYLE_REFERENCE = '/admin/assets/admin.css';

/**
 * The common policy, plus the inline styles of account mail by their hashes (and nothing else
 * inline): the Mail view shows a message in a sandboxed srcdoc frame, which inherits this policy.
 */
const PAGE_POLICY = securityHeaders('')['content-security-policy']!.replace(
  "style-src 'self'",
  `style-src 'self' 'unsafe-hashes' ${MAIL_STYLE_SOURCES.join(' ')}`,
);

const NOT_BUILT = 'The moderation dashboard is not built yet: run `npm run build:web`.';

interface Page {
  body: string;
  etag: string;
  manifest: AdminManifest;
  /** The modification times of index.html and the manifest it was written from. */
  key: string;
}

/** The page and the manifest, read again when either changes on disk. */
function pageReader() {
  let cached: Page | undefined;
  return async (): Promise<Page> => {
    const [page, manifest] = await Promise.all([
      fs.stat(ADMIN_PAGE).catch(() => undefined),
      fs.stat(ADMIN_MANIFEST).catch(() => undefined),
    ]);
    if (!page) throw new ParleyError('NOT_FOUND', 'The dashboard page is missing.');
    if (!manifest) throw new ParleyError('NOT_FOUND', NOT_BUILT);
    const key = `${page.mtimeMs}:${page.size}:${manifest.mtimeMs}:${manifest.size}`;
    if (cached?.key !== key) {
      const files = JSON.parse(await fs.readFile(ADMIN_MANIFEST, 'utf8')) as AdminManifest;
      const body = (await fs.readFile(ADMIN_PAGE, 'utf8'))
        .replace(SCRIPT_REFERENCE, `/admin/assets/${files.script}`)
        .replace(STYLE_REFERENCE, `/admin/assets/${files.style}`);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      cached = { body, etag, manifest: files, key };
    }
    return cached;
  };
}

export async function installAdminPage(app: FastifyInstance): Promise<void> {
  const readPage = pageReader();
  const assets = new HashedFiles(ADMIN_DIR);

  const sendPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const page = await readPage();
    void reply
      .header('x-robots-tag', 'noindex, nofollow')
      .header('content-security-policy', PAGE_POLICY)
      // Moderators should get a new build at once: browsers revalidate every time (a cheap 304).
      .header('cache-control', 'no-cache')
      .header('etag', page.etag);
    if (request.headers['if-none-match'] === page.etag) return reply.status(304).send();
    return reply.header('content-type', 'text/html; charset=utf-8').send(page.body);
  };
  app.get('/admin', { schema: { hide: true } }, sendPage);
  app.get('/admin/*', { schema: { hide: true } }, sendPage);
  // Only the files the manifest names (the current build's) are served.
  app.get<{ Params: { file: string } }>(
    '/admin/assets/:file',
    { schema: { hide: true } },
    async (request, reply) => {
      const { manifest } = await readPage();
      const { file } = request.params;
      const sent =
        file === manifest.script || file === manifest.style
          ? await assets.send(request, reply, file)
          : false;
      if (!sent) throw new ParleyError('NOT_FOUND', 'No such dashboard file.');
      return reply;
    },
  );
}
