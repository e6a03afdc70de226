/**
 * The moderation dashboard's page: `GET /admin` and every client route under it answer with
 * web/admin/index.html; its script and stylesheet come from build/web (`npm run build:web`) under
 * /admin/assets/. Like /embed.js, files are re-read when they change on disk and carry an ETag.
 * The page gets the same strict Content-Security-Policy as Parley's other pages (see
 * security-headers.ts): it loads only these two same-origin files and uses no inline code; only
 * the mail it previews may carry inline styles, known in advance by their hashes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../domain/errors.ts';
import { MAIL_STYLE_SOURCES } from '../mail/templates.ts';
import { securityHeaders } from './security-headers.ts';
import { ROOT } from './static.ts';

export const ADMIN_PAGE = path.join(ROOT, 'web/admin/index.html');
export const ADMIN_ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  'admin.js': {
    file: path.join(ROOT, 'build/web/admin.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'admin.css': { file: path.join(ROOT, 'build/web/admin.css'), type: 'text/css; charset=utf-8' },
};

/**
 * The common policy, plus the inline styles of account mail by their hashes (and nothing else
 * inline): the Mail view shows a message in a sandboxed srcdoc frame, which inherits this policy.
 */
const PAGE_POLICY = securityHeaders('')['content-security-policy']!.replace(
  "style-src 'self'",
  `style-src 'self' 'unsafe-hashes' ${MAIL_STYLE_SOURCES.join(' ')}`,
);

interface Cached {
  body: Buffer;
  etag: string;
  mtimeMs: number;
  size: number;
}

/** Serves a file with an ETag from its size and mtime, reading it again only when it changed. */
function fileServer(file: string, type: string, missing: string) {
  let cached: Cached | undefined;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      throw new ParleyError('NOT_FOUND', missing);
    }
    if (!cached || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) {
      cached = {
        body: await fs.readFile(file),
        etag: `"${stat.size.toString(36)}-${stat.mtimeMs.toString(36)}"`,
        mtimeMs: stat.mtimeMs,
        size: stat.size,
      };
    }
    // Moderators should get a new build at once: browsers revalidate every time (a cheap 304).
    void reply.header('cache-control', 'no-cache').header('etag', cached.etag);
    if (request.headers['if-none-match'] === cached.etag) return reply.status(304).send();
    return reply.header('content-type', type).send(cached.body);
  };
}

export async function installAdminPage(app: FastifyInstance): Promise<void> {
  const notBuilt = 'The moderation dashboard is not built yet: run `npm run build:web`.';
  const page = fileServer(ADMIN_PAGE, 'text/html; charset=utf-8', 'The dashboard page is missing.');
  const assets = new Map(
    Object.entries(ADMIN_ASSETS).map(([name, asset]) => [
      name,
      fileServer(asset.file, asset.type, notBuilt),
    ]),
  );

  const sendPage = async (request: FastifyRequest, reply: FastifyReply) => {
    void reply
      .header('x-robots-tag', 'noindex, nofollow')
      .header('content-security-policy', PAGE_POLICY);
    return page(request, reply);
  };
  app.get('/admin', { schema: { hide: true } }, sendPage);
  app.get('/admin/*', { schema: { hide: true } }, sendPage);
  app.get<{ Params: { file: string } }>(
    '/admin/assets/:file',
    { schema: { hide: true } },
    async (request, reply) => {
      const serve = assets.get(request.params.file);
      if (!serve) throw new ParleyError('NOT_FOUND', 'No such dashboard file.');
      return serve(request, reply);
    },
  );
}
