/**
 * `parley backup --out FILE`: a copy of the SQLite database, consistent at one point in time,
 * taken while Parley keeps serving and writing.
 *
 * How: SQLite's online backup API (better-sqlite3's `db.backup`), on a connection of its own that
 * holds one read transaction open from before the first page is copied until after the last.
 *
 * - Consistent: in WAL mode a read transaction sees the database as it was when it began (its
 *   snapshot), however many commits follow. Every page of the copy comes from that snapshot, so the
 *   copy holds exactly the transactions committed before it: every comment acknowledged by then,
 *   with its story and counts, and nothing half-written.
 * - Writers are not blocked: in WAL mode readers never block writers (nor writers readers). The one
 *   cost is that the WAL cannot be checkpointed past the snapshot while the copy runs, so it grows
 *   for that time and is checkpointed by Parley's next commits afterwards.
 * - The read transaction must be ours, held across the steps. Left to itself the backup API opens
 *   and closes a read transaction at each step, and when another connection (the Parley server)
 *   commits between two steps the next step starts the whole copy over: under steady posting the
 *   copy of a database of any size never finishes. With a transaction already open on the source,
 *   `sqlite3_backup_step` uses it instead, the snapshot cannot move, and nothing restarts.
 * - Why not `VACUUM INTO`: it also reads one snapshot without blocking writers, but it rebuilds every
 *   table and index (much more CPU and time than copying pages), runs as one synchronous statement
 *   that reports no progress, and its gain, a compacted file, is not what a backup needs. The
 *   backup API copies pages as they are, in steps, so it can say how many pages it has copied.
 *
 * The copy is written next to FILE under a temporary name, checked (`PRAGMA quick_check`), switched
 * to rollback-journal mode (one self-contained file, readable without -wal and -shm files; Parley
 * switches it back to WAL when it starts on it), synced, and only then put in place: FILE is never
 * a partial copy, and an existing FILE is replaced only with --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { DatabaseConfig } from '../config.ts';

/** A backup that could not be made: the message says why (no stack trace); exit code 1. */
export class BackupError extends Error {}

export interface BackupProgress {
  copiedPages: number;
  totalPages: number;
}

export interface BackupResult {
  source: string;
  out: string;
  bytes: number;
  pages: number;
  comments: number;
  /** When the snapshot was taken: the copy holds what was committed before it. */
  snapshotAt: Date;
  durationMs: number;
}

/** Below this size the copy takes a moment and reports no progress. */
const PROGRESS_FROM_BYTES = 16 * 1024 * 1024;

export const POSTGRES_BACKUP_ADVICE =
  'DATABASE_URL names a PostgreSQL database, and `parley backup` copies SQLite databases: back ' +
  'PostgreSQL up with `pg_dump --format=custom` (restore with `pg_restore`), as described under ' +
  '"Backups" in docs/operations.md.';

function sqliteFile(database: DatabaseConfig): string {
  // Never the URL itself in a message: a PostgreSQL URL may carry a password.
  if (database.engine === 'postgres') throw new BackupError(POSTGRES_BACKUP_ADVICE);
  if (database.file === ':memory:') {
    throw new BackupError('DATABASE_URL is :memory:, a database that keeps nothing to back up.');
  }
  return database.file;
}

/** Where the copy goes: checked before the database is opened, so mistakes cost nothing. */
function checkDestination(source: string, out: string, force: boolean): void {
  const related = [source, `${source}-wal`, `${source}-shm`, `${source}-journal`];
  if (related.includes(out)) {
    throw new BackupError(
      `--out ${out} is the database itself (or one of its files); choose another file.`,
    );
  }
  const dir = path.dirname(out);
  const dirStat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!dirStat?.isDirectory()) {
    throw new BackupError(`cannot write ${out}: the directory ${dir} does not exist.`);
  }
  const existing = fs.statSync(out, { throwIfNoEntry: false });
  if (existing?.isDirectory()) {
    throw new BackupError(`--out ${out} is a directory; give the name of the backup file.`);
  }
  if (existing && !force) {
    throw new BackupError(
      `${out} already exists; choose another file, or add --force to replace it.`,
    );
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new BackupError(`cannot write ${out}: no permission to create files in ${dir}.`);
  }
}

function removeCopy(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

function fsyncPath(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems cannot sync a directory; the file itself was synced before.
    if (!['EINVAL', 'EISDIR', 'EPERM'].includes((error as { code?: string }).code ?? ''))
      throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** Puts the finished copy at `out`: never over an existing file unless `force`. */
function putInPlace(temporary: string, out: string, force: boolean): void {
  if (force) {
    fs.renameSync(temporary, out);
    return;
  }
  try {
    // A hard link fails if `out` exists, even one created since it was checked: no overwrite race.
    fs.linkSync(temporary, out);
    fs.unlinkSync(temporary);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') {
      throw new BackupError(`${out} was created meanwhile; add --force to replace it.`);
    }
    // A file system without hard links: check again, and rename.
    if (fs.existsSync(out)) {
      throw new BackupError(`${out} was created meanwhile; add --force to replace it.`);
    }
    fs.renameSync(temporary, out);
  }
}

/** Opens the source database, read-only in effect, and pins its snapshot. */
function openSnapshot(source: string): {
  db: SQLite.Database;
  pages: number;
  pageSize: number;
  snapshotAt: Date;
} {
  if (!fs.existsSync(source)) {
    throw new BackupError(`there is no database at ${source} (DATABASE_URL); nothing to back up.`);
  }
  // Read-write, for a WAL database's -shm file, but `query_only` refuses any write to it. The busy
  // timeout covers the rare moment when a read in WAL mode must wait (a WAL being recovered).
  const db = new SQLite(source, { fileMustExist: true, timeout: 5000 });
  try {
    db.pragma('query_only = 1');
    db.exec('BEGIN');
    // The first read starts the read transaction: from here on, this connection sees the database
    // as it is now, until COMMIT.
    const table = db
      .prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'comments'")
      .get() as { n: number };
    const snapshotAt = new Date();
    if (table.n === 0) {
      throw new BackupError(`${source} is not a Parley database (it has no comments table).`);
    }
    const pages = db.pragma('page_count', { simple: true }) as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    return { db, pages, pageSize, snapshotAt };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Checks the finished copy, makes it one self-contained file, and counts its comments. */
function finishCopy(file: string): { comments: number } {
  const copy = new SQLite(file, { fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`the copy failed its check: ${String(check)}`);
    copy.pragma('journal_mode = DELETE');
    const { n } = copy.prepare('select count(*) as n from comments').get() as { n: number };
    return { comments: n };
  } finally {
    copy.close();
  }
}

export async function backupDatabase(
  database: DatabaseConfig,
  options: { out: string; force: boolean; onProgress?: (progress: BackupProgress) => void },
): Promise<BackupResult> {
  const started = performance.now();
  const source = sqliteFile(database);
  const out = path.resolve(options.out);
  checkDestination(source, out, options.force);
  const temporary = path.join(path.dirname(out), `.${path.basename(out)}.partial-${process.pid}`);
  removeCopy(temporary);

  let snapshot: ReturnType<typeof openSnapshot> | undefined;
  try {
    snapshot = openSnapshot(source);
    const { db, pages, pageSize, snapshotAt } = snapshot;
    const step = Math.max(256, Math.ceil(pages / 100));
    const report = pages * pageSize >= PROGRESS_FROM_BYTES ? options.onProgress : undefined;
    await db.backup(temporary, {
      progress: ({ totalPages, remainingPages }) => {
        report?.({ copiedPages: totalPages - remainingPages, totalPages });
        return step;
      },
    });
    report?.({ copiedPages: pages, totalPages: pages });
    db.exec('COMMIT');
    db.close();

    const { comments } = finishCopy(temporary);
    fsyncPath(temporary);
    putInPlace(temporary, out, options.force);
    fsyncPath(path.dirname(out));
    return {
      source,
      out,
      bytes: fs.statSync(out).size,
      pages,
      comments,
      snapshotAt,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    if (snapshot?.db.open) snapshot.db.close();
    removeCopy(temporary);
    if (error instanceof BackupError) throw error;
    throw new BackupError(`cannot back up ${source} to ${out}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
