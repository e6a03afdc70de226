/**
 * `parley export [--site ID] [--format parley|wxr] [--out FILE] [--force]`: Parley's own archive
 * (src/export/ndjson.ts; restored by `parley import parley FILE`) or a site's comments as WXR
 * (src/export/wxr.ts), to a file or to standard output (docs/export.md).
 *
 * - The whole export reads one snapshot of the database (src/export/snapshot.ts), so the archive is
 *   consistent however long it takes while Parley keeps serving.
 * - A file is written next to FILE under a temporary name, synced, and only then put in place:
 *   FILE is never half an archive, and an existing FILE is replaced only with --force.
 * - Progress goes to stderr (records written and the rate), only when writing to a file: on
 *   standard output the archive is the output, and the summary alone goes to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { Config } from '../config.ts';
import { openStore } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { getSite, listSites } from '../store/sites.ts';
import { RECORD_TYPES, type RecordCounts } from '../export/archive.ts';
import { exportParley } from '../export/ndjson.ts';
import { withSnapshot } from '../export/snapshot.ts';
import { exportWxr, WxrExportError } from '../export/wxr.ts';

/** An export that could not be made: the message says why (no stack trace); exit code 1. */
export class ExportError extends Error {}

export type ExportFormat = 'parley' | 'wxr';

export interface ExportCommandOptions {
  siteId?: string | undefined;
  /** The file to write; standard output when not given. */
  out?: string | undefined;
  format: ExportFormat;
  /** Replace an existing `out`. */
  force?: boolean | undefined;
}

export interface ExportResult {
  format: ExportFormat;
  out: string | null;
  siteId: string | null;
  /** Records (parley) or comments (wxr) written. */
  records: number;
  /** parley: records by type. */
  counts: RecordCounts | null;
  /** wxr: stories written. */
  stories: number | null;
  bytes: number;
  durationMs: number;
}

/** Where the file goes: checked before the database is opened, so mistakes cost nothing. */
function checkDestination(out: string, force: boolean): void {
  const dir = path.dirname(out);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ExportError(`cannot write ${out}: the directory ${dir} does not exist.`);
  }
  const existing = fs.statSync(out, { throwIfNoEntry: false });
  if (existing?.isDirectory()) {
    throw new ExportError(`--out ${out} is a directory; give the name of the export file.`);
  }
  if (existing && !force) {
    throw new ExportError(
      `${out} already exists; choose another file, or add --force to replace it.`,
    );
  }
}

/** A writer that waits when the stream's buffer is full, and fails once the stream has. */
function writerTo(stream: Writable): {
  write: (chunk: string) => Promise<void>;
  bytes: () => number;
} {
  let failure: Error | undefined;
  let bytes = 0;
  stream.on('error', (error) => {
    failure = error;
  });
  return {
    bytes: () => bytes,
    write: async (chunk) => {
      if (failure) throw failure;
      bytes += Buffer.byteLength(chunk);
      if (stream.write(chunk)) return;
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          stream.off('drain', done);
          stream.off('error', done);
          if (error) reject(error);
          else resolve();
        };
        stream.on('drain', done);
        stream.on('error', done);
      });
    },
  };
}

function closeFile(stream: fs.WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

function fsyncPath(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems cannot sync a directory; the file itself was synced before.
    const code = (error as { code?: string }).code ?? '';
    if (!['EINVAL', 'EISDIR', 'EPERM'].includes(code)) throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** Puts the finished file at `out`: never over an existing file unless `force`. */
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
    if ((error as { code?: string }).code === 'EEXIST' || fs.existsSync(out)) {
      throw new ExportError(`${out} was created meanwhile; add --force to replace it.`);
    }
    fs.renameSync(temporary, out); // a file system without hard links
  }
}

/**
 * Progress on stderr, at most once a second: one line rewritten in a terminal, a line each time
 * otherwise (a log).
 */
function progressLine(unit: string): { tick: (count: number) => void; done: () => void } {
  const terminal = process.stderr.isTTY;
  const started = performance.now();
  let shownAt = started;
  let shown = false;
  return {
    tick(count) {
      const now = performance.now();
      if (now - shownAt < 1000) return;
      shownAt = now;
      const rate = Math.round(count / ((now - started) / 1000));
      const line = `wrote ${count.toLocaleString('en')} ${unit} (${rate.toLocaleString('en')}/s)`;
      process.stderr.write(terminal ? `\r${line}` : `${line}\n`);
      shown = true;
    },
    done() {
      if (shown && terminal) process.stderr.write('\n');
    },
  };
}

async function chooseSite(
  store: ReturnType<typeof openStore>,
  options: ExportCommandOptions,
): Promise<string | null> {
  if (options.siteId !== undefined) {
    if (!(await getSite(store.db, options.siteId))) {
      throw new ExportError(`there is no site with id ${options.siteId}.`);
    }
    return options.siteId;
  }
  if (options.format === 'parley') return null;
  // A WXR document is one site's: the only one, or the one asked for.
  const sites = await listSites(store.db);
  if (sites.length === 1) return (sites[0] as { id: string }).id;
  if (sites.length === 0) throw new ExportError('there is no site to export.');
  const list = sites.map((site) => `${site.id} (${site.name})`).join(', ');
  throw new ExportError(`a WXR export is one site's: give --site ID, one of ${list}.`);
}

export async function runExport(
  config: Config,
  options: ExportCommandOptions,
): Promise<ExportResult> {
  const started = performance.now();
  const out = options.out === undefined ? null : path.resolve(options.out);
  const force = options.force ?? false;
  if (out !== null) checkDestination(out, force);
  const temporary =
    out === null
      ? null
      : path.join(path.dirname(out), `.${path.basename(out)}.partial-${process.pid}`);

  const store = openStore(config.database);
  let file: fs.WriteStream | undefined;
  try {
    await migrate(store);
    const siteId = await chooseSite(store, options);
    if (temporary !== null) {
      fs.rmSync(temporary, { force: true });
      file = fs.createWriteStream(temporary, { flags: 'wx' });
    }
    const writer = writerTo(file ?? process.stdout);
    const progress =
      out === null ? null : progressLine(options.format === 'wxr' ? 'comments' : 'records');
    const result: ExportResult = {
      format: options.format,
      out,
      siteId,
      records: 0,
      counts: null,
      stories: null,
      bytes: 0,
      durationMs: 0,
    };
    await withSnapshot(store, async (db) => {
      if (options.format === 'wxr') {
        const written = await exportWxr(store, {
          db,
          siteId: siteId as string,
          write: writer.write,
          onProgress: (p) => progress?.tick(p.comments),
        });
        result.records = written.comments;
        result.stories = written.stories;
      } else {
        const written = await exportParley(store, {
          db,
          siteId: siteId ?? undefined,
          write: writer.write,
          onProgress: (p) => progress?.tick(p.records),
        });
        result.records = written.records;
        result.counts = written.counts;
      }
    });
    progress?.done();
    if (file && out !== null && temporary !== null) {
      await closeFile(file);
      fsyncPath(temporary);
      putInPlace(temporary, out, force);
      fsyncPath(path.dirname(out));
    }
    result.bytes = writer.bytes();
    result.durationMs = performance.now() - started;
    return result;
  } catch (error) {
    file?.destroy();
    if (temporary !== null) fs.rmSync(temporary, { force: true });
    if (error instanceof ExportError) throw error;
    if (error instanceof WxrExportError) throw new ExportError(error.message);
    if ((error as { code?: string }).code === 'EPIPE') {
      throw new ExportError('standard output was closed before the export was written.');
    }
    const where = out ?? 'standard output';
    throw new ExportError(`cannot export to ${where}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await store.close();
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** What was exported, for stderr. */
export function exportSummary(result: ExportResult): string {
  const where = result.out ?? 'standard output';
  const scope = result.siteId === null ? 'every site' : `site ${result.siteId}`;
  const seconds = (result.durationMs / 1000).toFixed(1);
  const lines = [
    result.format === 'wxr'
      ? `Exported ${result.records.toLocaleString('en')} comments on ` +
        `${(result.stories ?? 0).toLocaleString('en')} stories (${scope}) as WXR to ${where}`
      : `Exported ${result.records.toLocaleString('en')} records (${scope}) to ${where}`,
  ];
  if (result.counts) {
    const counts = RECORD_TYPES.filter((type) => result.counts?.[type])
      .map((type) => `${type} ${(result.counts?.[type] ?? 0).toLocaleString('en')}`)
      .join(', ');
    lines.push(`  records:   ${counts || 'none'}`);
  }
  lines.push(`  size:      ${formatBytes(result.bytes)}`, `  duration:  ${seconds} s`);
  return lines.join('\n');
}
