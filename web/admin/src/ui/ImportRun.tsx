/**
 * One import (GET /admin/imports/:runId and its live stream): while it runs, how much of the file
 * is read, how many comments are written and how fast; once it has ended, its report (what was
 * imported, in which state, what was skipped and why, with the first examples, warnings, the
 * error) and the report to download.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { ImportRun } from '../api/types.js';
import {
  followRun,
  formatBytes,
  formatTimeLeft,
  isStalled,
  progressFigures,
  sightOf,
  type FirstSight,
} from '../state/import-run.js';
import type { FeedSourceConstructor } from '../state/live-feed.js';
import { useDashboard } from './context.js';
import { formatCount, formatDateTime, plural } from './format.js';

const SKIP_REASONS: Record<string, string> = {
  orphan: 'Orphans (answer a comment not imported)',
  empty_body: 'Empty once converted',
  unknown_thread: 'On a thread that could not be imported',
  duplicate: 'Duplicates',
  deleted: 'Deleted in the source, with no replies',
  not_a_comment: 'Not comments (pingbacks, trackbacks)',
  invalid: 'Invalid records',
};

export function ImportStateBadge({ run }: { readonly run: ImportRun }) {
  if (run.state === 'done') return <span class="status status-approved">Done</span>;
  if (run.state === 'failed') return <span class="status status-rejected">Failed</span>;
  if (isStalled(run, Date.now())) {
    return (
      <span class="status status-deleted" title="Nothing written for two minutes">
        Stalled
      </span>
    );
  }
  return <span class="badge badge-info">Running</span>;
}

export function RunPanel(props: {
  readonly run: ImportRun;
  readonly onChange: (run: ImportRun) => void;
}) {
  const { api, announce } = useDashboard();
  const { run } = props;
  const first = useRef<FirstSight>(sightOf(run, Date.now()));
  const [ended, setEnded] = useState<string | null>(null);
  const [download, setDownload] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const running = run.state === 'running';

  useEffect(() => {
    if (!running) return undefined;
    const follower = followRun({
      url: api.importEventsUrl(run.id),
      EventSource:
        typeof EventSource === 'function'
          ? (EventSource as unknown as FeedSourceConstructor)
          : undefined,
      load: async () => (await api.importRun(run.id)).run,
      onRun: (next) => {
        setProblem(null);
        props.onChange(next);
        if (next.state === 'running') return;
        const text =
          next.state === 'done'
            ? `The import of ${next.fileName} is done: ${plural(next.report.comments.imported, 'comment')} imported.`
            : `The import of ${next.fileName} failed: ${next.error ?? 'see the report'}.`;
        setEnded(text);
        announce(text);
      },
      onError: (failure) => setProblem(describeError(failure)),
    });
    return () => follower.close();
  }, [run.id, running]);

  useEffect(() => {
    if (running) return undefined;
    const controller = new AbortController();
    let url: string | null = null;
    api.importReport(run.id, controller.signal).then(
      (blob) => {
        url = URL.createObjectURL(blob);
        setDownload(url);
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setProblem(describeError(failure));
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [run.id, running]);

  return (
    <section class="settings-card import-run" aria-labelledby="import-run-title">
      <h2 id="import-run-title" class="settings-title import-run-title">
        <span>Import of {run.fileName}</span>
        <ImportStateBadge run={run} />
      </h2>
      <p class="muted">
        {run.format} · {formatBytes(run.fileBytes)} · started {formatDateTime(run.startedAt)}
        {run.finishedAt && <> · ended {formatDateTime(run.finishedAt)}</>}
      </p>
      <p
        class={run.state === 'failed' ? 'import-ended import-failed' : 'import-ended'}
        role="status"
      >
        {ended}
      </p>
      {running ? <Progress run={run} first={first.current} /> : <Report run={run} />}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {!running && download && (
        <div class="button-row import-actions">
          <a class="btn" href={download} download={`parley-import-${run.id}.json`}>
            Download report
          </a>
        </div>
      )}
    </section>
  );
}

function Progress({ run, first }: { readonly run: ImportRun; readonly first: FirstSight }) {
  const now = Date.now();
  const figures = progressFigures(run, first, now);
  const { bytesRead, totalBytes } = run.report.progress;
  return (
    <div class="import-progress">
      <label class="field-label" for="import-read">
        Reading the file
      </label>
      <progress id="import-read" value={bytesRead} max={totalBytes || 1} />
      <p class="import-figures">
        <span>
          {figures.fraction === null ? '…' : `${Math.floor(figures.fraction * 100)}%`} of{' '}
          {formatBytes(totalBytes)} read
        </span>
        <span>{plural(run.report.comments.imported, 'comment')} written</span>
        {figures.perSecond !== null && (
          <span>{formatCount(Math.round(figures.perSecond))} comments/s</span>
        )}
        {figures.secondsLeft !== null && <span>{formatTimeLeft(figures.secondsLeft)} left</span>}
      </p>
      {isStalled(run, now) && (
        <p class="notice">
          Nothing has been written for two minutes: the import may have stopped with its server.
          Upload the same file again to resume it.
        </p>
      )}
    </div>
  );
}

function Count(props: { readonly name: string; readonly n: number; readonly label: string }) {
  return (
    <div class={`count count-${props.name}`} data-count={props.name}>
      <span class="count-number">{formatCount(props.n)}</span>
      <span class="count-label">{props.label}</span>
    </div>
  );
}

function Report({ run }: { readonly run: ImportRun }) {
  const { report } = run;
  const c = report.comments;
  const skipped = Object.entries(report.skipped);
  return (
    <div class="import-report">
      {run.error && (
        <p class="banner import-error" role="alert">
          {run.error}
        </p>
      )}
      <div class="counts import-counts">
        <Count name="imported" n={c.imported} label="imported" />
        <Count name="approved" n={c.approved} label="published" />
        <Count name="pending" n={c.pending} label="pending review" />
        <Count name="rejected" n={c.rejected} label="rejected as spam" />
        <Count name="tombstones" n={c.tombstones} label="kept as [deleted]" />
        <Count name="unchanged" n={c.unchanged} label="imported before" />
      </div>
      <dl class="facts">
        <dt>Read</dt>
        <dd>
          {plural(report.read.comments, 'comment')} in {plural(report.read.stories, 'thread')}
        </dd>
        <dt>Stories</dt>
        <dd>
          {formatCount(report.stories.created)} created, {formatCount(report.stories.matched)}{' '}
          matched to existing stories, {formatCount(report.stories.known)} imported before
        </dd>
        <dt>Authors</dt>
        <dd>
          {plural(report.authors.created, 'new profile')}, {formatCount(report.authors.merged)}{' '}
          merged into readers with the same confirmed address, {formatCount(report.authors.known)}{' '}
          imported before
        </dd>
        <dt>Took</dt>
        <dd>{(report.durationMs / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s</dd>
      </dl>
      {skipped.length > 0 && (
        <>
          <h3 class="import-subtitle">Skipped</h3>
          <table class="table table-compact import-skipped">
            <caption class="vh">Skipped, by reason, with the first examples</caption>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col" class="num">
                  Count
                </th>
                <th scope="col">First examples</th>
              </tr>
            </thead>
            <tbody>
              {skipped.map(([reason, tally]) => (
                <tr key={reason}>
                  <td>{SKIP_REASONS[reason] ?? reason}</td>
                  <td class="num">{formatCount(tally.count)}</td>
                  <td>
                    <ul class="import-examples">
                      {tally.examples.map((example, i) => (
                        <li key={i}>
                          <code>{example.sourceId || '(no id)'}</code> {example.detail}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {report.warnings.length > 0 && (
        <>
          <h3 class="import-subtitle">Warnings</h3>
          <ul class="import-warnings">
            {report.warnings.map((warning, i) => (
              <li key={i}>{warning}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
