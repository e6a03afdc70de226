/**
 * Files served to browsers: the embed widget (`/embed.js`, loadable from any publisher origin) and
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
