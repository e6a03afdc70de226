/**
 * Imports uploaded from the dashboard (issue 15): the file is written to a private temporary file
 * as it arrives (named by a random id, never by the client), the site is claimed and the run
 * recorded as the command line does it, and the import then runs in the background of this
 * process, which deletes the file when the run ends. Whoever follows the run reads its row, so
 * any process can show its progress and report.
 *
 * The dashboard takes single files only: formats that read a directory (Coral's) and restores of
 * Parley's own archive are the command line's, and so are dry runs, which record no run to follow.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ParleyError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { FORMATS, findFormat, type SourceFormat } from '../import/formats/index.ts';
import { ImportError, Importer } from '../import/importer.ts';
import type { Store } from '../store/db.ts';
import { findRunningImports, getImportRun, type ImportRunRow } from '../store/imports.ts';
import type { Site } from '../store/rows.ts';

/** Formats the dashboard does not take, and what to do instead. */
const COMMAND_LINE_ONLY: Readonly<Record<string, (siteId: string) => string>> = {
  'coral-csv': (siteId) =>
    'The coral-csv format is a directory of CSV files, which cannot be uploaded: import it with ' +
    `the command line (npx parley import coral-csv <directory> --site ${siteId}).`,
  'coral-mongo': (siteId) =>
    'The coral-mongo format is a directory of mongoexport files, which cannot be uploaded: ' +
    `import it with the command line (npx parley import coral-mongo <directory> --site ${siteId}).`,
  parley: () =>
    'Restoring a Parley archive is done with the command line only ' +
    '(npx parley import parley <file>): it restores whole sites, accounts and settings.',
};

/**
 * A run marked running that committed this recently is alive (the importer gives up on one after
 * two minutes of silence). Only an early answer, before the file is uploaded: the importer's own
 * claim on the site decides.
 */
const ALIVE_MS = 2 * 60_000;

/** The formats an admin may upload, in the command line's order. */
export function uploadableFormats(): SourceFormat[] {
  return FORMATS.filter((format) => !Object.hasOwn(COMMAND_LINE_ONLY, format.name));
}

function uploadableFormat(name: string, siteId: string): SourceFormat {
  // Own keys only: a format named "constructor" is unknown, not Object's.
  const refusal = Object.hasOwn(COMMAND_LINE_ONLY, name) ? COMMAND_LINE_ONLY[name] : undefined;
  if (refusal) throw new ParleyError('IMPORT_FORMAT_REFUSED', refusal(siteId));
  const format = findFormat(name);
  if (!format) {
    const names = uploadableFormats().map((each) => each.name);
    throw new ParleyError(
      'IMPORT_FORMAT_UNKNOWN',
      `Unknown import format "${name.slice(0, 40)}"; the dashboard imports ${names.join(', ')}.`,
    );
  }
  return format;
}

const tooLarge = (maxBytes: number) =>
  new ParleyError(
    'FILE_TOO_LARGE',
    `The file is larger than this server takes for an import (${maxBytes.toLocaleString('en')} ` +
      'bytes, PARLEY_IMPORT_MAX_BYTES); import it with the command line instead.',
  );

/** The name the admin knows the file by, as shown in the runs list: no folders, no controls. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return [...clean].slice(0, 200).join('') || 'uploaded file';
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * The imports this process runs in the background. Closing it stops them at their next item
 * (their runs end `failed`, resumable by uploading the file again) and waits for them, so the
 * store can close after it.
 */
export class ImportTasks {
  private readonly running = new Set<Promise<void>>();
  /** Sites with an upload between its first byte and its run's row. */
  private readonly receiving = new Set<string>();
  private readonly stop = new AbortController();

  constructor(private readonly log: Logger) {}

  /** Settles once no import runs here (tests wait for it). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.idle();
  }

  /** Marks a site as receiving an upload; false when it already is. */
  reserve(siteId: string): boolean {
    if (this.receiving.has(siteId) || this.stop.signal.aborted) return false;
    this.receiving.add(siteId);
    return true;
  }

  release(siteId: string): void {
    this.receiving.delete(siteId);
  }

  /** The format, read so that closing this process stops it between two items. */
  stoppable(format: SourceFormat): SourceFormat {
    const signal = this.stop.signal;
    return {
      ...format,
      async *read(file, progress) {
        for await (const item of format.read(file, progress)) {
          if (signal.aborted) {
            throw new Error(
              'interrupted: the server stopped during the import (upload the same file again ' +
                'to resume)',
            );
          }
          yield item;
        }
      },
    };
  }

  /** Runs the import, then removes its file. Its row tells how it ended; the log says a failure. */
  run(runId: string, site: Site, work: () => Promise<{ state: string }>, file: string): void {
    const task = work()
      .then(
        (report) => this.log.info(`import ${runId} into site ${site.id}: ${report.state}`),
        (error: unknown) =>
          this.log.warn(
            `import ${runId} into site ${site.id} failed: ${error instanceof Error ? error.message : 'unknown error'}`,
          ),
      )
      .finally(async () => {
        await removeUpload(file);
        this.running.delete(task);
      });
    this.running.add(task);
  }
}

export interface Upload {
  site: Site;
  formatName: string;
  /** The request's body: the file's bytes. */
  stream: Readable;
  /** The file's name as the admin knows it (shown in the runs list; never used on disk). */
  fileName?: string;
  /** The Content-Length the client announced, when it did. */
  declaredBytes?: number;
  startedBy: string;
  maxBytes: number;
}

/** Where an upload is kept while it is imported: the system's temporary directory. */
const uploadPath = () => path.join(os.tmpdir(), `parley-upload-${randomBytes(16).toString('hex')}`);

async function removeUpload(file: string): Promise<void> {
  // Isso's reader opens the file as SQLite, which may leave its journal files beside it.
  for (const each of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    await fs.promises.rm(each, { force: true }).catch(() => undefined);
  }
}

/**
 * Writes the body to `file` (created, readable by this user only), counting its bytes; past
 * `maxBytes` it stops reading and refuses. The request stream is left open, so that the refusal
 * can still be sent; the route closes the connection after it.
 */
async function receive(body: Readable, file: string, maxBytes: number): Promise<number> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
  });
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  let cut = false;
  const onCut = () => {
    if (body.readableEnded) return;
    cut = true;
    counter.destroy();
  };
  body.on('error', onCut);
  body.on('close', onCut);
  body.pipe(counter);
  try {
    await pipeline(counter, out);
  } catch (error) {
    body.unpipe(counter);
    body.pause();
    // The file is removed by the caller: first let it be closed.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
    if (cut) {
      throw new ParleyError('VALIDATION_FAILED', 'The upload stopped before the whole file came.');
    }
    throw error;
  } finally {
    body.off('error', onCut);
    body.off('close', onCut);
  }
  return bytes;
}

/**
 * Receives an uploaded file and starts importing it into the site: answers the run, as recorded,
 * once the importer has claimed the site. The import itself goes on in `tasks`.
 */
export async function startUploadedImport(
  store: Store,
  upload: Upload,
  tasks: ImportTasks,
): Promise<ImportRunRow> {
  const { site } = upload;
  const format = uploadableFormat(upload.formatName, site.id);
  if (upload.declaredBytes !== undefined && upload.declaredBytes > upload.maxBytes) {
    throw tooLarge(upload.maxBytes);
  }
  const busy = () =>
    new ParleyError(
      'IMPORT_RUNNING',
      'Another import into this site is running; wait for it to finish.',
    );
  const now = Date.now();
  const running = await findRunningImports(store.db, site.id);
  if (running.some((run) => now - Date.parse(run.heartbeatAt) < ALIVE_MS)) throw busy();
  if (!tasks.reserve(site.id)) throw busy();
  const file = uploadPath();
  let started = false;
  try {
    const bytes = await receive(upload.stream, file, upload.maxBytes);
    if (bytes === 0) throw new ParleyError('EMPTY_FILE', 'The file is empty.');
    const importer = new Importer(store, {
      site,
      format: tasks.stoppable(format),
      file,
      runId: newId(),
      fileName: cleanFileName(upload.fileName),
      startedBy: upload.startedBy,
    });
    let runId: string | null;
    try {
      runId = await importer.start();
    } catch (error) {
      // The importer's claim on the site: another import started meanwhile (another process).
      if (error instanceof ImportError) throw new ParleyError('IMPORT_RUNNING', error.message);
      throw error;
    }
    if (!runId) throw new Error('the importer recorded no run');
    tasks.run(runId, site, () => importer.process(), file);
    started = true;
    const run = await getImportRun(store.db, runId);
    if (!run) throw new Error(`import run ${runId} was not recorded`);
    return run;
  } finally {
    tasks.release(site.id);
    if (!started) await removeUpload(file);
  }
}
