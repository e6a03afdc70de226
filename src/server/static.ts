/**
 * Files served to browsers, as scripts/build-web.ts writes them into build/web: the widget's
 * loader (`/embed.js`, the stable address publishers put in their pages, loadable from any origin,
 * revalidated after five minutes), the widget it loads (`/embed.<hash>.js`), its language files
 * (`/i18n/<lang>.<version>.js`, imported by the widget on pages in that language) and notification
 * features (`/notify/<lang>.<version>.js`, imported once a reader signs in), all named by their
 * contents and cached for a year, compressed as the browser accepts (src/server/assets.ts); and
 * the demo newsroom at `/`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../domain/errors.ts';
import { HashedFiles, StableFile } from './assets.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_BUILD = path.join(ROOT, 'build/web');
/** The loader, rewritten by every build to name the widget's current file. */
export const EMBED_LOADER = path.join(WEB_BUILD, 'embed.js');
/** What the build wrote for the widget (scripts/build-web.ts, EmbedManifest). */
export const EMBED_MANIFEST = path.join(WEB_BUILD, 'manifest.json');
export const LANGUAGE_DIR = path.join(WEB_BUILD, 'i18n');
/** The server-rendered thread's stylesheet, at /embed/rendered.css. */
export const RENDERED_CSS = path.join(WEB_BUILD, 'embed', 'rendered.css');
/** The widget's notification features, one file per language (web/embed/src/state/features.ts). */
export const NOTIFY_DIR = path.join(WEB_BUILD, 'notify');
/** The widget's file: the hash of its contents (scripts/build-web.ts, WIDGET_FILE). */
const WIDGET_HASH = /^[0-9a-f]{10,64}$/;
/** A language file's name: the version is a hash of the files' contents (scripts/build-web.ts). */
const LANGUAGE_FILE = /^[a-z]{2}\.[0-9a-f]{6,64}\.js$/;

const notBuilt = () =>
  new ParleyError('NOT_FOUND', 'The widget is not built yet: run `npm run build:web`.');
const noSuchFile = () => new ParleyError('NOT_FOUND', 'No such file.');

/** The widget's files are public and imported cross-origin (modules are fetched with CORS). */
const anyOrigin = (reply: FastifyReply) => reply.header('access-control-allow-origin', '*');

export async function installStatic(
  app: FastifyInstance,
  options: { demo: boolean },
): Promise<void> {
  const loader = new StableFile(EMBED_LOADER);
  app.get('/embed.js', { schema: { hide: true } }, async (request, reply) => {
    if (!(await loader.send(request, anyOrigin(reply)))) throw notBuilt();
    return reply;
  });

  // The server-rendered thread's stylesheet (scripts/build-web.ts, buildRenderedCss), linked from
  // every fragment (src/server/rendered/markup.ts): a stable address, revalidated like the loader.
  const renderedCss = new StableFile(RENDERED_CSS);
  app.get('/embed/rendered.css', { schema: { hide: true } }, async (request, reply) => {
    if (!(await renderedCss.send(request, anyOrigin(reply)))) throw notBuilt();
    return reply;
  });

  const hashed = new HashedFiles(WEB_BUILD);
  app.get<{ Params: { hash: string } }>(
    '/embed.:hash.js',
    { schema: { hide: true } },
    async (request, reply) => {
      const { hash } = request.params;
      const sent = WIDGET_HASH.test(hash)
        ? await hashed.send(request, anyOrigin(reply), `embed.${hash}.js`)
        : false;
      if (!sent) throw noSuchFile();
      return reply;
    },
  );

  for (const [prefix, dir] of [
    ['/i18n', LANGUAGE_DIR],
    ['/notify', NOTIFY_DIR],
  ] as const) {
    const files = new HashedFiles(dir);
    app.get<{ Params: { file: string } }>(
      `${prefix}/:file`,
      { schema: { hide: true } },
      async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
        const { file } = request.params;
        const sent = LANGUAGE_FILE.test(file)
          ? await files.send(request, anyOrigin(reply), file)
          : false;
        if (!sent) throw noSuchFile();
        return reply;
      },
    );
  }

  if (options.demo) {
    await app.register(fastifyStatic, {
      root: path.join(ROOT, 'web/demo'),
      prefix: '/',
      // `/` itself is the article with its server-rendered thread (demo-page.ts).
      index: false,
      wildcard: false,
      cacheControl: true,
      maxAge: 60_000,
    });
  }
}
