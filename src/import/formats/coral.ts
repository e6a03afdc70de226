/**
 * Coral (coralproject/talk), in the two shapes its data leaves it in. Both are directories of three
 * files, and both are read users first, into a Map of id to name and address: a site has far fewer
 * users than comments, and holding the users is what lets the comments stream past once each.
 * Stories come next (yielded as read), then comments.
 *
 * `coral-csv` is the CSV that Coral's own importer (coral-importer's `csv` strategy) takes: three
 * UTF-8 files without a header row, every column present even when empty. Its README documents:
 *
 *     users.csv     id, email, username, role, banned, created_at
 *     stories.csv   id, url, title, author, published_at, closed_at, mode
 *     comments.csv  id, author_id, story_id, created_at, body (HTML), parent_id, status, rating
 *
 * A first row that names those columns is taken as a header and passed over, since people who
 * write such files by hand often add one. Comment statuses are APPROVED, REJECTED and NONE.
 *
 * `coral-mongo` is `mongoexport` output of Coral's own collections (users, stories, comments), one
 * Extended JSON document a line (`{"$date": ...}`, `{"$oid": ...}`, `{"$numberLong": ...}`, in
 * relaxed or canonical mode). The fields used are those of Coral's models (server/src/core/server/
 * models): comment `id`, `storyID`, `parentID`, `authorID`, `revisions` (the last is the current
 * text, `body` HTML), `status`, `actionCounts.REACTION`, `createdAt`, `deletedAt`; story `id`,
 * `url`, `metadata.title`, `closedAt` (a date, or false once reopened), `createdAt`; user `id`,
 * `username`, `email`. Every tenant in the export is read: export one tenant's documents
 * (`mongoexport --query`) to import one site.
 *
 * Statuses: APPROVED and NONE (published without review) are approved; PREMOD and
 * SYSTEM_WITHHELD wait for a moderator, so pending; REJECTED has no state of its own in the
 * contract and comes in as spam, which the import report shows as "imported as spam" (hidden, and
 * restorable by a moderator, as a rejected comment in Coral is). A comment with `deletedAt` is
 * deleted whatever its status. Coral keeps no IP addresses on comments.
 */
import fs from 'node:fs';
import nodePath from 'node:path';
import { parse, type CsvError, type Info } from 'csv-parse';
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

const PARTS = ['users', 'stories', 'comments'] as const;
type Part = (typeof PARTS)[number];

interface CoralUser {
  name: string | null;
  email: string | null;
}

/** The three files of a Coral export directory, sized for the progress bar. */
async function openParts(
  path: string,
  extension: string,
  progress: ReaderProgress,
): Promise<Record<Part, string>> {
  const expected = PARTS.map((part) => `${part}.${extension}`).join(', ');
  const stat = await fs.promises.stat(path);
  if (!stat.isDirectory()) {
    throw new ImportFormatError(`Expected a directory holding ${expected}; ${path} is a file`);
  }
  const files = {} as Record<Part, string>;
  progress.totalBytes = 0;
  progress.bytesRead = 0;
  for (const part of PARTS) {
    const file = nodePath.join(path, `${part}.${extension}`);
    const partStat = await fs.promises.stat(file).catch(() => null);
    if (!partStat?.isFile()) {
      throw new ImportFormatError(
        `The directory has no ${part}.${extension} (expected ${expected})`,
        {
          part: `${part}.${extension}`,
        },
      );
    }
    files[part] = file;
    progress.totalBytes += partStat.size;
  }
  return files;
}

function lines(file: string, progress: ReaderProgress): AsyncGenerator<TextLine> {
  const part = nodePath.basename(file);
  const bytes = readSourceBytes(file, (count) => (progress.bytesRead += count), {
    gunzip: false,
    part,
  });
  return readLines(bytes, part);
}

/** Commas inside the first line of an XML or JSON file would otherwise parse as odd CSV rows. */
function checkLooksLikeCsv(line: TextLine, part: string): void {
  const first = line.text.trimStart()[0];
  if (first === '<' || first === '{' || first === '[') {
    const found = first === '<' ? 'XML' : 'JSON';
    const hint = found === 'JSON' ? ' (a mongoexport directory is the coral-mongo format)' : '';
    throw new ImportFormatError(`Expected Coral CSV, found ${found}${hint}`, { line: 1, part });
  }
}

// coral-csv

interface CsvRow {
  cells: string[];
  line: number;
}

const HEADERS: Record<Part, readonly string[]> = {
  users: ['id', 'email', 'username'],
  stories: ['id', 'url', 'title'],
  comments: ['id', 'author_id', 'story_id'],
};

/**
 * Rows of one CSV file, with the line each starts on. csv-parse is driven by hand, a line at a
 * time, so that the rows before a malformed one (an unclosed quote in a truncated file) are
 * still yielded before the error, and each row's line is known.
 */
async function* csvRows(
  file: string,
  part: Part,
  progress: ReaderProgress,
): AsyncGenerator<CsvRow> {
  const name = `${part}.csv`;
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true });
  const outcome: { failure: CsvError | null } = { failure: null };
  parser.on('error', (error: CsvError) => (outcome.failure = error));
  const check = (): void => {
    const error = outcome.failure;
    if (!error) return;
    throw new ImportFormatError(`Malformed CSV: ${error.message.replace(/ at line \d+/, '')}`, {
      line: typeof error.lines === 'number' ? error.lines : undefined,
      part: name,
    });
  };
  const drain = function* (): Generator<CsvRow> {
    let read: { record: string[]; info: Info } | null;
    while ((read = parser.read() as { record: string[]; info: Info } | null) !== null) {
      const quotedNewlines = read.record.join('\n').split('\n').length - read.record.length;
      yield { cells: read.record, line: read.info.lines - quotedNewlines };
    }
  };
  for await (const line of lines(file, progress)) {
    if (line.number === 1) {
      checkLooksLikeCsv(line, name);
      const cells = line.text.split(',').map((cell) => cell.replace(/"/g, '').trim().toLowerCase());
      if (HEADERS[part].every((header, index) => cells[index] === header)) {
        parser.write('\n');
        continue;
      }
    }
    parser.write(`${line.text}\n`);
    yield* drain();
    check();
  }
  parser.end();
  yield* drain();
  // csv-parse reports an error at the end (an unclosed quote) on the next tick.
  await new Promise((resolve) => setImmediate(resolve));
  check();
}

export async function* readCoralCsv(
  path: string,
  progress: ReaderProgress,
): AsyncGenerator<SourceItem> {
  const files = await openParts(path, 'csv', progress);
  const users = new Map<string, CoralUser>();
  for await (const row of csvRows(files.users, 'users', progress)) {
    const [id = '', email = '', username = ''] = row.cells;
    if (!id.trim()) {
      yield invalid('', `users.csv line ${row.line}: a user without an id`);
      continue;
    }
    users.set(id.trim(), { name: text(username), email: text(email) });
  }
  for await (const row of csvRows(files.stories, 'stories', progress)) {
    const [id = '', url = '', title = '', , publishedAt = '', closedAt = ''] = row.cells;
    if (!id.trim()) {
      yield invalid('', `stories.csv line ${row.line}: a story without an id`);
      continue;
    }
    yield {
      kind: 'story',
      story: {
        sourceId: id.trim(),
        url: httpUrl(url),
        identifier: id.trim(),
        title: text(title),
        closed: isPast(parseIsoDate(closedAt)),
        createdAt: parseIsoDate(publishedAt),
      },
    };
  }
  for await (const row of csvRows(files.comments, 'comments', progress)) {
    const [id = '', authorId = '', storyId = '', createdAt = '', body = '', parentId = ''] =
      row.cells;
    const status = (row.cells[6] ?? '').trim().toUpperCase() || 'NONE';
    yield coralComment(
      {
        id: text(id),
        storyId: text(storyId),
        parentId: text(parentId),
        authorId: text(authorId),
        createdAt: parseIsoDate(createdAt),
        body,
        status,
        deleted: false,
        likes: 0,
      },
      `comments.csv line ${row.line}`,
      users,
    );
  }
}

// coral-mongo

/** mongoexport's Extended JSON wrappers, turned into plain values as JSON.parse builds objects. */
function extendedJson(_key: string, value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) return value;
  const inner = value[keys[0] as string];
  switch (keys[0]) {
    case '$date': {
      const date =
        typeof inner === 'number'
          ? new Date(inner)
          : inner instanceof Date
            ? inner
            : parseIsoDate(inner);
      return date && !Number.isNaN(date.getTime()) ? date : null;
    }
    case '$oid':
      return typeof inner === 'string' ? inner : value;
    case '$numberInt':
    case '$numberLong':
    case '$numberDouble':
      return typeof inner === 'string' ? Number(inner) : value;
    default:
      return value;
  }
}

async function* documents(
  file: string,
  part: Part,
  progress: ReaderProgress,
): AsyncGenerator<{ doc: unknown; line: number }> {
  const name = `${part}.json`;
  let first = true;
  for await (const line of lines(file, progress)) {
    const trimmed = line.text.trim();
    if (trimmed === '') continue;
    if (first && !trimmed.startsWith('{')) {
      const found = trimmed.startsWith('[')
        ? 'a JSON array (export again without --jsonArray)'
        : trimmed.startsWith('<')
          ? 'XML'
          : 'something else';
      throw new ImportFormatError(`Expected mongoexport JSON lines, found ${found}`, {
        line: line.number,
        part: name,
      });
    }
    first = false;
    try {
      yield { doc: JSON.parse(trimmed, extendedJson) as unknown, line: line.number };
    } catch (error) {
      throw new ImportFormatError(`The line is not JSON: ${(error as Error).message}`, {
        line: line.number,
        part: name,
      });
    }
  }
}

export async function* readCoralMongo(
  path: string,
  progress: ReaderProgress,
): AsyncGenerator<SourceItem> {
  const files = await openParts(path, 'json', progress);
  const users = new Map<string, CoralUser>();
  for await (const { doc, line } of documents(files.users, 'users', progress)) {
    const id = isRecord(doc) ? text(doc.id) : null;
    if (!id || !isRecord(doc)) {
      yield invalid('', `users.json line ${line}: a user without an id`);
      continue;
    }
    users.set(id, { name: text(doc.username), email: text(doc.email) });
  }
  for await (const { doc, line } of documents(files.stories, 'stories', progress)) {
    const id = isRecord(doc) ? text(doc.id) : null;
    if (!id || !isRecord(doc)) {
      yield invalid('', `stories.json line ${line}: a story without an id`);
      continue;
    }
    const metadata = isRecord(doc.metadata) ? doc.metadata : {};
    yield {
      kind: 'story',
      story: {
        sourceId: id,
        url: httpUrl(doc.url),
        identifier: id,
        title: text(metadata.title),
        closed: isPast(doc.closedAt instanceof Date ? doc.closedAt : null),
        createdAt: doc.createdAt instanceof Date ? doc.createdAt : null,
      },
    };
  }
  for await (const { doc, line } of documents(files.comments, 'comments', progress)) {
    const where = `comments.json line ${line}`;
    if (!isRecord(doc)) {
      yield invalid('', `${where}: not a comment`);
      continue;
    }
    const revisions = Array.isArray(doc.revisions) ? doc.revisions : [];
    const current: unknown = revisions[revisions.length - 1];
    const actionCounts = isRecord(doc.actionCounts) ? doc.actionCounts : {};
    const reactions = actionCounts.REACTION;
    yield coralComment(
      {
        id: text(doc.id),
        storyId: text(doc.storyID),
        parentId: text(doc.parentID),
        authorId: text(doc.authorID),
        createdAt: doc.createdAt instanceof Date ? doc.createdAt : null,
        body: isRecord(current) && typeof current.body === 'string' ? current.body : '',
        status: typeof doc.status === 'string' ? doc.status.toUpperCase() : 'NONE',
        deleted: doc.deletedAt instanceof Date,
        likes: typeof reactions === 'number' && reactions > 0 ? Math.floor(reactions) : 0,
      },
      where,
      users,
    );
  }
}

// shared by both

interface CoralComment {
  id: string | null;
  storyId: string | null;
  parentId: string | null;
  authorId: string | null;
  createdAt: Date | null;
  body: string;
  status: string;
  deleted: boolean;
  likes: number;
}

const STATES: Record<string, SourceState> = {
  APPROVED: 'approved',
  NONE: 'approved',
  PREMOD: 'pending',
  SYSTEM_WITHHELD: 'pending',
  REJECTED: 'spam',
};

function coralComment(
  comment: CoralComment,
  where: string,
  users: Map<string, CoralUser>,
): SourceItem {
  const { id, storyId, createdAt } = comment;
  if (!id || !storyId || !createdAt) {
    const missing = !id ? 'id' : !storyId ? 'story id' : 'valid creation date';
    return invalid(id ?? '', `${where}: no ${missing}`);
  }
  const state = comment.deleted ? 'deleted' : STATES[comment.status];
  if (!state) return invalid(id, `${where}: unknown status ${comment.status}`);
  if (state !== 'deleted' && isBlankHtml(comment.body)) {
    return { kind: 'skip', reason: 'empty_body', sourceId: id, detail: `${where}: empty body` };
  }
  return {
    kind: 'comment',
    comment: {
      sourceId: id,
      storySourceId: storyId,
      parentSourceId: comment.parentId,
      author: coralAuthor(comment.authorId, users),
      createdAt,
      body: { format: 'html', value: comment.body },
      state,
      likes: comment.likes,
      ip: null,
    },
  };
}

/** A comment whose author was deleted (or never known) comes from one shared "Anonymous". */
function coralAuthor(authorId: string | null, users: Map<string, CoralUser>): SourceAuthor {
  const user = authorId ? users.get(authorId) : undefined;
  const name = user?.name ?? 'Anonymous';
  return { key: authorId ?? name, name, email: user?.email ?? null };
}

function invalid(sourceId: string, detail: string): SourceItem {
  return { kind: 'skip', reason: 'invalid', sourceId, detail };
}

function isPast(date: Date | null): boolean {
  return date !== null && date.getTime() <= Date.now();
}
