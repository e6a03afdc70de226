/**
 * Remark42's backup (`remark42 backup`, and the daily automatic `backup-SITE-YYYYMMDD.gz` files):
 * JSON lines, gzipped when made by the automatic backup. The first line is the site's metadata,
 * `{"version":1,"users":[...],"posts":[...]}`, every later line one comment:
 *
 *     {"id", "pid" (parent id, "" at top level), "text" (HTML, as Remark42 rendered it),
 *      "orig" (the Markdown the author typed), "user": {"name", "id", "picture", "ip", "admin",
 *      "block", "verified"}, "locator": {"site", "url"}, "score", "votes": {user id: up?},
 *      "time" (RFC 3339), "edit", "pin", "delete", "title"}
 *
 * (Remark42's backend/app/migrator/native.go writes it; store/comment.go and store/user.go define
 * the comment; service.PostMetaData is `{"url", "read_only"}`, service.UserMetaData carries
 * `details.email` when the user gave one for notifications.)
 *
 * Remark42 has no discussion records of its own: a discussion is a page address. So a story is
 * yielded the first time its `locator.url` is seen, with the title that comment carries; a Set of
 * the addresses seen so far is all the reader keeps besides the metadata line, which the file holds
 * on one line anyway (its `posts` give the read-only pages, its `users` the addresses). `user.ip`
 * is not an address: Remark42 stores an HMAC of it, so it is kept only if it happens to parse as
 * one. Comments by users Remark42 had blocked are imported as pending, for the publisher to
 * decide, rather than published again. `text` is taken rather than `orig` because the HTML is what
 * readers saw (Remark42's Markdown has extensions Parley's subset has not). A deleted comment is
 * yielded (as deleted, its text already blanked by Remark42) so that its replies keep their place.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import {
  ImportFormatError,
  type ReaderProgress,
  type SourceAuthor,
  type SourceItem,
  type SourceState,
} from '../records.ts';
import {
  httpUrl,
  isBlankHtml,
  isRecord,
  parseIsoDate,
  readLines,
  readSourceBytes,
  text,
  type TextLine,
} from './source.ts';

interface Remark42Meta {
  readOnly: Set<string>;
  emails: Map<string, string>;
}

export async function* readRemark42(
  path: string,
  progress: ReaderProgress,
): AsyncGenerator<SourceItem> {
  progress.totalBytes = (await fs.promises.stat(path)).size;
  progress.bytesRead = 0;
  const bytes = readSourceBytes(path, (count) => (progress.bytesRead += count), { gunzip: true });
  let meta: Remark42Meta | null = null;
  const seenUrls = new Set<string>();
  for await (const line of readLines(bytes)) {
    if (line.text.trim() === '') continue;
    const value = parseJsonLine(line);
    if (!meta) {
      meta = readMeta(value, line.number);
      continue;
    }
    yield* readComment(value, line.number, meta, seenUrls);
  }
  if (!meta) throw new ImportFormatError('The file is empty: no Remark42 backup in it');
}

function parseJsonLine(line: TextLine): unknown {
  try {
    return JSON.parse(line.text) as unknown;
  } catch (error) {
    const hint = line.text.trimStart().startsWith('<') ? ' (this looks like XML)' : '';
    throw new ImportFormatError(`The line is not JSON${hint}: ${(error as Error).message}`, {
      line: line.number,
    });
  }
}

function readMeta(value: unknown, lineNumber: number): Remark42Meta {
  if (!isRecord(value) || typeof value.version !== 'number') {
    throw new ImportFormatError(
      'Expected a Remark42 backup, whose first line is {"version":1,"users":[...],"posts":[...]}',
      { line: lineNumber },
    );
  }
  if ('comments' in value) {
    throw new ImportFormatError('This looks like a Commento export: import it as commento', {
      line: lineNumber,
    });
  }
  if (value.version !== 1 && value.version !== 0) {
    throw new ImportFormatError(`Remark42 backup version ${value.version} is not supported`, {
      line: lineNumber,
    });
  }
  const readOnly = new Set<string>();
  for (const post of Array.isArray(value.posts) ? value.posts : []) {
    if (isRecord(post) && post.read_only === true && typeof post.url === 'string') {
      readOnly.add(post.url);
    }
  }
  const emails = new Map<string, string>();
  for (const user of Array.isArray(value.users) ? value.users : []) {
    const email = isRecord(user) && isRecord(user.details) ? text(user.details.email) : null;
    if (email && isRecord(user) && typeof user.id === 'string') emails.set(user.id, email);
  }
  return { readOnly, emails };
}

function* readComment(
  value: unknown,
  lineNumber: number,
  meta: Remark42Meta,
  seenUrls: Set<string>,
): Generator<SourceItem> {
  const where = `line ${lineNumber}`;
  if (!isRecord(value)) {
    yield { kind: 'skip', reason: 'invalid', sourceId: '', detail: `${where}: not a comment` };
    return;
  }
  const id = text(value.id);
  const locator = isRecord(value.locator) ? value.locator : {};
  const pageUrl = text(locator.url);
  const createdAt = parseIsoDate(value.time);
  if (!id || !pageUrl || !createdAt) {
    const missing = !id ? 'id' : !pageUrl ? 'locator.url' : 'valid time';
    yield {
      kind: 'skip',
      reason: 'invalid',
      sourceId: id ?? '',
      detail: `${where}: no ${missing}`,
    };
    return;
  }
  if (!seenUrls.has(pageUrl)) {
    seenUrls.add(pageUrl);
    const url = httpUrl(pageUrl);
    yield {
      kind: 'story',
      story: {
        sourceId: pageUrl,
        url,
        identifier: url ? null : pageUrl,
        title: text(value.title),
        closed: meta.readOnly.has(pageUrl),
        createdAt: null,
      },
    };
  }
  const user = isRecord(value.user) ? value.user : {};
  const deleted = value.delete === true;
  const body = typeof value.text === 'string' ? value.text : '';
  if (!deleted && isBlankHtml(body)) {
    yield { kind: 'skip', reason: 'empty_body', sourceId: id, detail: `${where}: empty text` };
    return;
  }
  const state: SourceState = deleted ? 'deleted' : user.block === true ? 'pending' : 'approved';
  yield {
    kind: 'comment',
    comment: {
      sourceId: id,
      storySourceId: pageUrl,
      parentSourceId: text(value.pid),
      author: remark42Author(user, meta),
      createdAt,
      body: { format: 'html', value: body },
      state,
      likes: remark42Likes(value),
      ip: typeof user.ip === 'string' && isIP(user.ip) ? user.ip : null,
    },
  };
}

function remark42Author(user: Record<string, unknown>, meta: Remark42Meta): SourceAuthor {
  const id = text(user.id);
  const name = text(user.name) ?? 'Anonymous';
  return { key: id ?? name, name, email: id ? (meta.emails.get(id) ?? null) : null };
}

/** Up-votes where Remark42 kept who voted which way, otherwise the positive part of the score. */
function remark42Likes(value: Record<string, unknown>): number {
  if (isRecord(value.votes) && Object.keys(value.votes).length > 0) {
    return Object.values(value.votes).filter((up) => up === true).length;
  }
  return typeof value.score === 'number' && value.score > 0 ? Math.floor(value.score) : 0;
}
