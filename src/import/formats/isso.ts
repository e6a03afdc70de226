/**
 * Isso's SQLite database (the `comments.db` its `[general] dbpath` names), read in place: Isso has
 * no export, its database is the export. It is opened read-only, so the import can run against a
 * live Isso's file, and rows are iterated (`.iterate()`), never loaded whole.
 *
 * The tables, as isso/db/threads.py and isso/db/comments.py create them:
 *
 *     threads   id, uri (the page's path, unique), title
 *     comments  tid (thread), id, parent, created (Unix seconds, a float), modified, mode
 *               (1 accepted, 2 waiting for moderation, 4 deleted but kept for its replies),
 *               remote_addr (already anonymised by Isso to a /24 or /48), text (Markdown),
 *               author, email, website, likes, dislikes, voters, notification
 *
 * Isso thread URIs are paths (`/2024/01/a-post/`), not addresses, so a story gets the path as its
 * identifier and no address unless the URI is already absolute: `--story-map`, or the importer's
 * base URL, or matching by identifier turns it into Parley's story. Isso has no accounts: an author
 * is known by the address they gave, else by the name, else as "Anonymous". A deleted comment has
 * had its text and author blanked by Isso; it is still yielded (as deleted) so that its replies
 * keep their place.
 *
 * Progress: SQLite gives no byte positions, so bytesRead moves through the file's size in
 * proportion to rows read out of `count(*)` of both tables.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import SQLite from 'better-sqlite3';
import {
  ImportFormatError,
  type ReaderProgress,
  type SourceItem,
  type SourceState,
} from '../records.ts';
import { httpUrl, text } from './source.ts';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

const REQUIRED_COLUMNS: Record<'threads' | 'comments', readonly string[]> = {
  threads: ['id', 'uri', 'title'],
  comments: [
    'tid',
    'id',
    'parent',
    'created',
    'mode',
    'remote_addr',
    'text',
    'author',
    'email',
    'likes',
  ],
};

const MODES: Record<number, SourceState> = { 1: 'approved', 2: 'pending', 4: 'deleted' };

interface ThreadRow {
  id: number;
  uri: string | null;
  title: string | null;
}

interface CommentRow {
  tid: number;
  id: number;
  parent: number | null;
  created: number | null;
  mode: number | null;
  remote_addr: string | null;
  text: string | null;
  author: string | null;
  email: string | null;
  likes: number | null;
}

export async function* readIsso(
  path: string,
  progress: ReaderProgress,
): AsyncGenerator<SourceItem> {
  const size = (await fs.promises.stat(path)).size;
  await checkHeader(path);
  progress.totalBytes = size;
  progress.bytesRead = 0;
  const db = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    checkSchema(db);
    const rowCount =
      (db.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n +
      (db.prepare('SELECT count(*) AS n FROM comments').get() as { n: number }).n;
    let rowsRead = 0;
    const advance = (): void => {
      rowsRead += 1;
      progress.bytesRead = Math.min(size, Math.round((size * rowsRead) / rowCount));
    };

    const threads = db.prepare('SELECT id, uri, title FROM threads ORDER BY id');
    for (const row of threads.iterate() as IterableIterator<ThreadRow>) {
      advance();
      yield threadItem(row);
    }
    const comments = db.prepare(
      `SELECT tid, id, parent, created, mode, remote_addr, text, author, email, likes
       FROM comments ORDER BY id`,
    );
    for (const row of comments.iterate() as IterableIterator<CommentRow>) {
      advance();
      yield commentItem(row);
    }
    progress.bytesRead = size;
  } finally {
    db.close();
  }
}

async function checkHeader(path: string): Promise<void> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !head.equals(SQLITE_HEADER)) {
      throw new ImportFormatError(
        'Expected an Isso database (an SQLite file such as comments.db); this is not SQLite',
        { offset: 0 },
      );
    }
  } finally {
    await handle.close();
  }
}

function checkSchema(db: SQLite.Database): void {
  for (const [table, required] of Object.entries(REQUIRED_COLUMNS)) {
    const columns = new Set(
      (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
    );
    const missing = columns.size === 0 ? null : required.find((column) => !columns.has(column));
    if (columns.size === 0 || missing) {
      const what = missing
        ? `its ${table} table has no ${missing} column`
        : `it has no ${table} table`;
      throw new ImportFormatError(`Expected an Isso database, but ${what}`, { part: table });
    }
  }
}

function threadItem(row: ThreadRow): SourceItem {
  const uri = text(row.uri);
  if (!uri) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: String(row.id),
      detail: `thread ${row.id}: no uri`,
    };
  }
  return {
    kind: 'story',
    story: {
      sourceId: String(row.id),
      url: httpUrl(uri),
      identifier: uri,
      title: text(row.title),
      closed: false,
      createdAt: null,
    },
  };
}

function commentItem(row: CommentRow): SourceItem {
  const id = String(row.id);
  const where = `comment ${row.id}`;
  const createdAt =
    typeof row.created === 'number' && Number.isFinite(row.created)
      ? new Date(Math.round(row.created * 1000))
      : null;
  if (!createdAt || Number.isNaN(createdAt.getTime())) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: id,
      detail: `${where}: no valid created time`,
    };
  }
  const state = MODES[row.mode ?? 0];
  if (!state) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: id,
      detail: `${where}: unknown mode ${row.mode}`,
    };
  }
  const body = row.text ?? '';
  if (state !== 'deleted' && body.trim() === '') {
    return { kind: 'skip', reason: 'empty_body', sourceId: id, detail: `${where}: empty text` };
  }
  const name = text(row.author) ?? 'Anonymous';
  const email = text(row.email);
  return {
    kind: 'comment',
    comment: {
      sourceId: id,
      storySourceId: String(row.tid),
      parentSourceId: row.parent === null ? null : String(row.parent),
      author: { key: email ?? name, name, email },
      createdAt,
      body: { format: 'markdown', value: body },
      state,
      likes: typeof row.likes === 'number' && row.likes > 0 ? row.likes : 0,
      ip: row.remote_addr && isIP(row.remote_addr) ? row.remote_addr : null,
    },
  };
}
