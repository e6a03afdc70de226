/**
 * Following an import from the dashboard: its live stream (GET /admin/imports/:runId/events, a
 * `progress` event whenever the run changes, then `done`), or its row every two seconds when the
 * stream cannot be had; and the figures shown beside the progress bar (share of the file read,
 * comments written per second, time left), measured from what this page has seen.
 */
import type { ImportRun } from '../api/types.js';
import type { FeedSourceConstructor } from './live-feed.js';

export const POLL_MS = 2000;

export interface RunFollowerOptions {
  /** The stream's URL with the session token, or null when signed out. */
  readonly url: string | null;
  readonly EventSource: FeedSourceConstructor | undefined;
  /** Reads the run (GET /admin/imports/:runId). */
  readonly load: () => Promise<ImportRun>;
  /** The run as it now stands; the last call has it ended, or follows a failure to read it. */
  readonly onRun: (run: ImportRun) => void;
  readonly onError?: (error: unknown) => void;
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
}

/** Follows a run until it ends; `close` stops sooner (the view went away). */
export function followRun(options: RunFollowerOptions): { close(): void } {
  const wait = options.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
  const cancel =
    options.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let closed = false;
  let timer: unknown = null;
  let source: InstanceType<FeedSourceConstructor> | null = null;

  const close = () => {
    closed = true;
    source?.close();
    source = null;
    if (timer !== null) cancel(timer);
    timer = null;
  };
  const poll = () => {
    if (closed) return;
    options.load().then(
      (run) => {
        if (closed) return;
        options.onRun(run);
        if (run.state === 'running') timer = wait(poll, POLL_MS);
      },
      (error: unknown) => {
        if (closed) return;
        options.onError?.(error);
        timer = wait(poll, POLL_MS * 2);
      },
    );
  };
  const parse = (data: string): ImportRun | null => {
    try {
      return (JSON.parse(data) as { run?: ImportRun }).run ?? null;
    } catch {
      return null;
    }
  };

  if (options.EventSource && options.url) {
    const stream = new options.EventSource(options.url);
    source = stream;
    stream.addEventListener('progress', (event) => {
      const run = parse(event.data);
      if (run && !closed) options.onRun(run);
    });
    stream.addEventListener('done', (event) => {
      const run = parse(event.data);
      if (closed) return;
      close();
      if (run) options.onRun(run);
      else poll();
    });
    // Refused, or lost: read the row instead (a refresh renews an expired session on the way).
    stream.onerror = () => {
      if (closed) return;
      stream.close();
      source = null;
      poll();
    };
  } else {
    poll();
  }
  return { close };
}

/** What the page saw of a run first: when, and how far it had got. */
export interface FirstSight {
  readonly at: number;
  readonly processed: number;
  readonly bytesRead: number;
}

export const sightOf = (run: ImportRun, at: number): FirstSight => ({
  at,
  processed: processed(run),
  bytesRead: run.report.progress.bytesRead,
});

/** Comments dealt with: written, or found imported before (a file run again). */
const processed = (run: ImportRun): number =>
  run.report.comments.imported + run.report.comments.unchanged;

export interface ProgressFigures {
  /** Share of the file read, 0 to 1 (null when its size is unknown). */
  readonly fraction: number | null;
  /** Comments written per second (null until it can be measured). */
  readonly perSecond: number | null;
  /** Seconds until the end of the file at the pace seen (null until it can be measured). */
  readonly secondsLeft: number | null;
}

export function progressFigures(run: ImportRun, first: FirstSight, now: number): ProgressFigures {
  const { bytesRead, totalBytes } = run.report.progress;
  const fraction = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : null;
  if (run.state !== 'running') {
    const seconds = run.report.durationMs / 1000;
    return {
      fraction,
      perSecond: seconds > 0 ? processed(run) / seconds : null,
      secondsLeft: null,
    };
  }
  const seconds = (now - first.at) / 1000;
  if (seconds < 1) return { fraction, perSecond: null, secondsLeft: null };
  const done = processed(run) - first.processed;
  const bytesPerSecond = (bytesRead - first.bytesRead) / seconds;
  return {
    fraction,
    perSecond: done > 0 ? done / seconds : null,
    secondsLeft:
      bytesPerSecond > 0 && totalBytes > 0
        ? Math.max(0, (totalBytes - bytesRead) / bytesPerSecond)
        : null,
  };
}

/** A run marked running that has committed nothing for this long has stopped (the server's rule). */
export const STALLED_MS = 2 * 60_000;

export const isStalled = (run: ImportRun, now: number): boolean =>
  run.state === 'running' && now - Date.parse(run.heartbeatAt) > STALLED_MS;

/** "1.2 GB", "840 KB": file sizes as people read them (in 1024s, as PARLEY_IMPORT_MAX_BYTES). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString('en', { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** "about 3 min", "under a minute". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} min`;
  return `about ${(minutes / 60).toLocaleString('en', { maximumFractionDigits: 1 })} h`;
}
