/**
 * `parley import <format> <file> --site <id>`: brings another comment system's export into a
 * site (src/import/), with a progress bar on stderr and the report on stdout (`--json` for the
 * report as JSON). Runs beside a serving Parley: each batch is one short transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parse } from 'csv-parse/sync';
import { loadShippedClassifier } from '../classifier/index.ts';
import { restoreParleyExport, type RestoreReport } from '../export/restore.ts';
import type { Store } from '../store/db.ts';
import { getSite } from '../store/sites.ts';
import { FORMATS, findFormat } from '../import/formats/index.ts';
import {
  ImportError,
  runImport,
  type ImportProgress,
  type ImportReport,
} from '../import/importer.ts';

export interface ImportCommand {
  format: string;
  file: string;
  siteId: string;
  dryRun: boolean;
  storyMap?: string;
  baseUrl?: string;
  /** Score published comments with the shipped classifier (--score). */
  score?: boolean;
}

function importThreads(): number {
  const chosen = Number(process.env.PARLEY_IMPORT_THREADS);
  if (process.env.PARLEY_IMPORT_THREADS && Number.isInteger(chosen) && chosen >= 0) {
    return Math.min(chosen, 8);
  }
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export function formatList(): string {
  return [
    ...FORMATS.map((f) => `  ${f.name.padEnd(12)} ${f.description}`),
    `  ${'parley'.padEnd(12)} Parley's own archive (parley export): a restore, keeping every id`,
  ].join('\n');
}

/** `--story-map`: a CSV of two columns, the source's URL (or identifier) and the story's URL now. */
export function readStoryMap(file: string): Map<string, string> {
  let rows: string[][];
  try {
    rows = parse(fs.readFileSync(file), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw new ImportError(`cannot read the story map ${file}: ${(error as Error).message}`);
  }
  const map = new Map<string, string>();
  rows.forEach((row, i) => {
    const [from, to] = row;
    if (i === 0 && from && !/^https?:|^\//.test(from) && to && !/^https?:/.test(to)) return; // a header
    if (!from || !to) {
      throw new ImportError(`the story map ${file} needs two columns on line ${i + 1}`);
    }
    map.set(from, to);
  });
  return map;
}

export async function importFile(
  store: Store,
  command: ImportCommand,
  onProgress?: (progress: ImportProgress) => void,
): Promise<ImportReport> {
  const format = findFormat(command.format);
  if (!format) {
    throw new ImportError(`unknown format "${command.format}"; one of:\n${formatList()}`);
  }
  if (!fs.existsSync(command.file)) throw new ImportError(`no such file: ${command.file}`);
  const site = await getSite(store.db, command.siteId);
  if (!site) throw new ImportError(`no site with id ${command.siteId} (see the dashboard's sites)`);
  if (command.baseUrl) {
    try {
      new URL(command.baseUrl);
    } catch {
      throw new ImportError(`--base-url is not an absolute URL: ${command.baseUrl}`);
    }
  }
  return runImport(store, {
    site,
    format,
    file: command.file,
    dryRun: command.dryRun,
    storyMap: command.storyMap ? readStoryMap(command.storyMap) : undefined,
    baseUrl: command.baseUrl,
    classifier: command.score ? loadShippedClassifier() : undefined,
    // Bodies are converted beside the thread that reads the file and writes the database
    // (PARLEY_IMPORT_THREADS=0: in place, as on a one-core machine).
    threads: importThreads(),
    onProgress,
  });
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * The progress bar: bytes read of the file, comments written, their rate and the time left, one
 * line rewritten in a terminal, a line every five seconds otherwise (a log).
 */
export function importProgress(
  stream: NodeJS.WriteStream = process.stderr,
): (progress: ImportProgress) => void {
  let lastLine = 0;
  return (p) => {
    const fraction = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    const width = 24;
    const filled = Math.round(fraction * width);
    const rate = p.elapsedMs ? (p.imported / p.elapsedMs) * 1000 : 0;
    const left = fraction > 0 ? (p.elapsedMs / fraction) * (1 - fraction) : 0;
    const line =
      `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ` +
      `${p.items.toLocaleString('en')} items read, ${p.imported.toLocaleString('en')} comments written ` +
      `(${Math.round(rate).toLocaleString('en')}/s), ${duration(left)} left`;
    if (stream.isTTY) {
      stream.write(`\r${line}\x1b[K${fraction >= 1 ? '\n' : ''}`);
    } else if (Date.now() - lastLine >= 5000 || fraction >= 1) {
      lastLine = Date.now();
      stream.write(`${line}\n`);
    }
  };
}

/** `parley import parley FILE`: a restore of Parley's own archive (src/export/restore.ts). */
export async function restoreFile(store: Store, file: string): Promise<RestoreReport> {
  if (!fs.existsSync(file)) throw new ImportError(`no such file: ${file}`);
  const draw = importProgress();
  const started = Date.now();
  return restoreParleyExport(store, file, {
    onProgress: (p) =>
      draw({
        bytesRead: p.bytesRead,
        totalBytes: p.totalBytes,
        items: p.records,
        imported: p.restored,
        elapsedMs: Date.now() - started,
      }),
  });
}

export function restoreText(report: RestoreReport, file: string): string {
  const n = (value: number) => value.toLocaleString('en');
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .filter(([, count]) => count > 0)
      .map(([type, count]) => `${n(count)} ${type}`)
      .join(', ') || 'nothing';
  const lines = [
    `Restored ${file} (a Parley archive, version ${report.archive.version}` +
      `${report.archive.exportedAt ? `, exported ${report.archive.exportedAt}` : ''})`,
    `  read:      ${n(report.read)} records`,
    `  restored:  ${counts(report.restored as unknown as Record<string, number>)}`,
    `  already there, unchanged: ${counts(report.skippedExisting as unknown as Record<string, number>)}`,
    `  merged:    ${n(report.merged.users)} accounts and ${n(report.merged.stories)} stories the ` +
      'instance already had',
  ];
  if (report.orphaned) lines.push(`  orphaned:  ${n(report.orphaned)} (their parent is missing)`);
  for (const secret of report.secretsToEnterAgain) {
    lines.push(`  to enter again (not in the archive): ${secret}`);
  }
  return lines.join('\n');
}

const REASONS: Record<string, string> = {
  orphan: 'orphan (answers a comment not imported)',
  empty_body: 'empty body',
  unknown_thread: 'unknown thread',
  duplicate: 'duplicate',
  deleted: 'deleted, without replies',
  not_a_comment: 'not a comment (pingback, trackback)',
  invalid: 'invalid record',
};

export function reportText(report: ImportReport): string {
  const n = (value: number) => value.toLocaleString('en');
  const c = report.comments;
  const lines = [
    `${report.dryRun ? 'Dry run of' : 'Imported'} ${report.file} (${report.format}): ${report.state}` +
      ` in ${(report.durationMs / 1000).toFixed(1)} s${report.runId ? `, run ${report.runId}` : ''}`,
    `  read:      ${n(report.read.comments)} comments, ${n(report.read.stories)} threads`,
    `  comments:  ${n(c.imported)} ${report.dryRun ? 'to import' : 'imported'} (${n(c.approved)} published, ` +
      `${n(c.pending)} pending, ${n(c.rejected)} rejected as spam, ${n(c.tombstones)} deleted kept ` +
      `for their replies); ${n(c.unchanged)} already imported, unchanged`,
    ...(c.toReview
      ? [
          `  review:    ${n(c.toReview)} published comments scored at or above the hold ` +
            'threshold wait in the Unmoderated queue, tagged review-imported',
        ]
      : []),
    `  stories:   ${n(report.stories.created)} created, ${n(report.stories.matched)} matched to ` +
      `existing stories, ${n(report.stories.known)} already imported`,
    `  authors:   ${n(report.authors.created)} new profiles, ${n(report.authors.merged)} merged ` +
      `into readers with the same confirmed address, ${n(report.authors.known)} already imported`,
  ];
  const skipped = Object.entries(report.skipped);
  if (skipped.length) {
    lines.push('  skipped:');
    for (const [reason, tally] of skipped) {
      lines.push(`    ${n(tally.count)} ${REASONS[reason] ?? reason}`);
      for (const example of tally.examples) {
        lines.push(`      e.g. ${example.sourceId || '(no id)'}: ${example.detail}`);
      }
    }
  }
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  if (report.error) lines.push(`  error: ${report.error}`);
  return lines.join('\n');
}
