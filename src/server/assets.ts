/**
 * Serves the files scripts/build-web.ts writes: each beside its brotli (.br) and gzip (.gz) forms,
 * compressed once at build time, so a response only picks the form the browser accepts
 * (`Accept-Encoding`, with `Vary: Accept-Encoding` for caches between). Files named by a hash of
 * their contents never change: they are kept in memory once read and cached by browsers for a
 * year. A file with a stable name (the widget's loader, embed.js) is read again when it changes on
 * disk and revalidated by browsers after a few minutes, with an ETag.
 *
 * @fastify/static's `preCompressed` does the same negotiation, but reads and streams the file from
 * disk on every request and types scripts `application/javascript`; these few files fit in memory
 * (about 2 MB with their compressed forms), and their names are checked by the callers against
 * what the build wrote, so no path from a request ever reaches the file system unchecked.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Encoding = 'br' | 'gzip';

interface Asset {
  readonly type: string;
  readonly identity: Buffer;
  readonly br: Buffer | undefined;
  readonly gzip: Buffer | undefined;
  /** A strong validator of the uncompressed contents; each encoding gets its own suffix. */
  readonly etag: string;
}

/** How long browsers and caches keep a file. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The loader: browsers revalidate it after five minutes, so a new build reaches pages soon. */
export const SHORT = 'public, max-age=300';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

const readIfThere = (file: string) => fs.readFile(file).catch(() => undefined);

async function readAsset(file: string): Promise<Asset | undefined> {
  const identity = await readIfThere(file);
  if (!identity) return undefined;
  const [br, gzip] = await Promise.all([readIfThere(`${file}.br`), readIfThere(`${file}.gz`)]);
  return {
    type: TYPES[path.extname(file)] ?? 'application/octet-stream',
    identity,
    br,
    gzip,
    etag: createHash('sha256').update(identity).digest('base64url').slice(0, 22),
  };
}

/**
 * The encoding to send, from an Accept-Encoding header: brotli, else gzip, when accepted with a
 * weight above zero (by name or by `*`); none otherwise.
 */
export function pickEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim());
    const q = params.find((param) => param.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (name) weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const accepted = (name: Encoding) => (weights.get(name) ?? weights.get('*') ?? 0) > 0;
  if (accepted('br')) return 'br';
  if (accepted('gzip')) return 'gzip';
  return undefined;
}

/** Adds a name to Vary, keeping what is there (CORS adds Origin). */
function addVary(reply: FastifyReply, name: string): void {
  const current = reply.getHeader('vary');
  const names =
    current === undefined
      ? []
      : String(current)
          .split(',')
          .map((v) => v.trim());
  if (names.some((value) => value.toLowerCase() === name || value === '*')) return;
  void reply.header('vary', [...names.filter(Boolean), name].join(', '));
}

/** Whether If-None-Match names this validator (or is `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  asset: Asset,
  cacheControl: string,
): void {
  const encoding = pickEncoding(request.headers['accept-encoding']);
  const body = (encoding && asset[encoding]) || asset.identity;
  const sent = body === asset.identity ? undefined : encoding;
  const etag = `"${asset.etag}${sent ? `-${sent}` : ''}"`;
  void reply.header('cache-control', cacheControl).header('etag', etag);
  addVary(reply, 'accept-encoding');
  if (matches(request.headers['if-none-match'], etag)) {
    void reply.status(304).send();
    return;
  }
  if (sent) void reply.header('content-encoding', sent);
  void reply.header('content-type', asset.type).send(body);
}

/**
 * Files in one directory named by their contents' hash: read once, then kept. A name the caller
 * has not checked against what the build writes must not be passed in.
 */
export class HashedFiles {
  readonly #dir: string;
  readonly #files = new Map<string, Asset>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Sends the file; false when there is none by that name (nothing is sent). */
  async send(request: FastifyRequest, reply: FastifyReply, name: string): Promise<boolean> {
    let asset = this.#files.get(name);
    if (!asset) {
      asset = await readAsset(path.join(this.#dir, name));
      if (!asset) return false;
      this.#files.set(name, asset);
    }
    send(request, reply, asset, IMMUTABLE);
    return true;
  }
}

/** A file with a stable name, read again when it changes on disk; revalidated by browsers. */
export class StableFile {
  readonly #file: string;
  #cached: { asset: Asset; mtimeMs: number; size: number } | undefined;

  constructor(file: string) {
    this.#file = file;
  }

  /** Sends the file; false when it is not there (not built yet; nothing is sent). */
  async send(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const stat = await fs.stat(this.#file).catch(() => undefined);
    if (!stat) return false;
    const cached = this.#cached;
    if (!cached || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) {
      const asset = await readAsset(this.#file);
      if (!asset) return false;
      this.#cached = { asset, mtimeMs: stat.mtimeMs, size: stat.size };
    }
    send(request, reply, this.#cached!.asset, SHORT);
    return true;
  }
}
