/**
 * Files served to browsers: the embed widget (`/embed.js`, loadable from any publisher origin), its
 * language files (`/i18n/<lang>.<version>.js`, imported by the widget on pages in that language),
 * its notification features (`/notify/<lang>.<version>.js`, imported once a reader signs in) and
 * the demo newsroom at `/`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../domain/errors.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EMBED_BUNDLE = path.join(ROOT, 'build/web/embed.js');
export const LANGUAGE_DIR = path.join(ROOT, 'build/web/i18n');
/** The widget's notification features, one file per language (web/embed/src/state/features.ts). */
export const NOTIFY_DIR = path.join(ROOT, 'build/web/notify');
/** A language file's name: the version is a hash of the files' contents (scripts/build-web.ts). */
const LANGUAGE_FILE = /^[a-z]{2}\.[0-9a-f]{6,64}\.js$/;

export async function installStatic(
  app: FastifyInstance,
  options: { demo: boolean },
): Promise<void> {
  let bundle: { body: Buffer; etag: string; mtimeMs: number } | undefined;

  app.get('/embed.js', { schema: { hide: true } }, async (request, reply) => {
    let stat;
    try {
      stat = await fs.stat(EMBED_BUNDLE);
    } catch {
      throw new ParleyError('NOT_FOUND', 'The widget is not built yet: run `npm run build:web`.');
    }
    if (!bundle || bundle.mtimeMs !== stat.mtimeMs) {
      const body = await fs.readFile(EMBED_BUNDLE);
      bundle = {
        body,
        etag: `"${stat.size.toString(36)}-${stat.mtimeMs.toString(36)}"`,
        mtimeMs: stat.mtimeMs,
      };
    }
    if (request.headers['if-none-match'] === bundle.etag) return reply.status(304).send();
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('etag', bundle.etag)
      .send(bundle.body);
  });

  // Versioned by content, so cached for good; a module script imported from a publisher's page is
  // fetched with CORS, and the files are public, hence any origin. The notification features are
  // named and served the same way.
  for (const [prefix, dir] of [
    ['/i18n', LANGUAGE_DIR],
    ['/notify', NOTIFY_DIR],
  ] as const) {
    const files = new Map<string, Buffer>();
    app.get<{ Params: { file: string } }>(
      `${prefix}/:file`,
      { schema: { hide: true } },
      async (request, reply) => {
        const { file } = request.params;
        let body = files.get(file);
        if (!body) {
          if (!LANGUAGE_FILE.test(file)) throw new ParleyError('NOT_FOUND', 'No such file.');
          try {
            body = await fs.readFile(path.join(dir, file));
          } catch {
            throw new ParleyError('NOT_FOUND', 'No such file.');
          }
          files.set(file, body);
        }
        return reply
          .header('content-type', 'text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('access-control-allow-origin', '*')
          .send(body);
      },
    );
  }

  if (options.demo) {
    await app.register(fastifyStatic, {
      root: path.join(ROOT, 'web/demo'),
      prefix: '/',
      index: ['index.html'],
      wildcard: false,
      cacheControl: true,
      maxAge: 60_000,
    });
  }
}
