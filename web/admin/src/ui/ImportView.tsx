/**
 * Imports, for admins (POST /admin/sites/:siteId/imports and the runs it leaves): upload another
 * comment system's export into a site, watch it import (the upload's progress, then the run's,
 * live), read its report and download it; below, the site's past imports, each openable. Formats
 * that read a directory, Parley's own archives and dry runs are the command line's.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { ImportFormats, ImportRun } from '../api/types.js';
import { formatBytes, isStalled } from '../state/import-run.js';
import { useDashboard } from './context.js';
import { formatCount, formatDateTime, formatRelative } from './format.js';
import { ImportStateBadge, RunPanel } from './ImportRun.js';
import { Section } from './SettingsView.js';
import { OneSiteSelect, useOneSite } from './SiteSelect.js';

interface Upload {
  readonly fileName: string;
  readonly sent: number;
  readonly total: number;
}

export function ImportView() {
  const { api, me, announce, siteName } = useDashboard();
  const siteId = useOneSite();
  const [formats, setFormats] = useState<ImportFormats | null>(null);
  const [format, setFormat] = useState('disqus');
  const [file, setFile] = useState<File | null>(null);
  const [runs, setRuns] = useState<ImportRun[] | null>(null);
  const [shownId, setShownId] = useState<string | null>(null);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const uploading = useRef<AbortController | null>(null);
  const isAdmin = me.user.role === 'admin';

  useEffect(() => {
    if (!isAdmin) return undefined;
    const controller = new AbortController();
    api.importFormats(controller.signal).then(setFormats, (failure: unknown) => {
      if (!isAbort(failure)) setError(describeError(failure));
    });
    return () => controller.abort();
  }, []);

  const loadRuns = async (signal?: AbortSignal): Promise<ImportRun[]> => {
    if (!siteId) return [];
    const result = await api.importRuns(siteId, signal);
    setRuns(result.runs);
    return result.runs;
  };

  useEffect(() => {
    if (!isAdmin || !siteId) return undefined;
    const controller = new AbortController();
    setRuns(null);
    setShownId(null);
    loadRuns(controller.signal).then(
      // An import under way (this page was reloaded meanwhile) is shown at once.
      (loaded) => setShownId(loaded.find((run) => run.state === 'running')?.id ?? null),
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [siteId]);

  useEffect(() => () => uploading.current?.abort(), []);

  if (!isAdmin) {
    return (
      <div class="page">
        <h1 class="view-title">Import</h1>
        <p class="notice">Only administrators import comments.</p>
      </div>
    );
  }

  const chosen = formats?.formats.find((each) => each.name === format);
  const site = siteId ? (siteName(siteId) ?? 'the site') : 'the site';

  const start = async (event: Event) => {
    event.preventDefault();
    if (!siteId || upload) return;
    setProblem(null);
    if (!file) {
      setProblem('Choose the file to import.');
      fileInput.current?.focus();
      return;
    }
    if (formats && file.size > formats.maxBytes) {
      setProblem(
        `The file is ${formatBytes(file.size)}; this server takes up to ` +
          `${formatBytes(formats.maxBytes)} from the dashboard. Import it with the command line.`,
      );
      return;
    }
    const controller = new AbortController();
    uploading.current = controller;
    setUpload({ fileName: file.name, sent: 0, total: file.size });
    try {
      // Checked before the file goes (and the session renewed if it must be): the server would
      // refuse it only once it has started to arrive.
      const current = await loadRuns(controller.signal);
      if (current.some((run) => run.state === 'running' && !isStalled(run, Date.now()))) {
        setProblem('Another import into this site is running; wait for it to finish.');
        return;
      }
      const { run } = await api.uploadImport(
        siteId,
        format,
        file,
        (sent, total) => setUpload({ fileName: file.name, sent, total }),
        controller.signal,
      );
      setRuns((list) => [run, ...(list ?? []).filter((each) => each.id !== run.id)]);
      setShownId(run.id);
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      announce(`Uploaded ${run.fileName}; importing into ${site}.`);
    } catch (failure) {
      if (!isAbort(failure)) {
        const text = describeError(failure);
        setProblem(
          text.startsWith('The server could not be reached')
            ? 'The upload was cut off: the connection failed, or the server refused the file ' +
                '(too large, or another import running). Try again.'
            : text,
        );
      }
    } finally {
      uploading.current = null;
      setUpload(null);
    }
  };

  const shown = runs?.find((run) => run.id === shownId) ?? null;
  const replace = (run: ImportRun) =>
    setRuns((list) => list?.map((each) => (each.id === run.id ? run : each)) ?? list);

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Import</h1>
        <div class="toolbar">
          <OneSiteSelect />
        </div>
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {!siteId && <p class="empty">There is no site yet.</p>}
      {siteId && (
        <div class="page-body imports">
          <Section title={`Import comments into ${site}`} id="import-upload">
            <p class="field-hint">
              An export of another comment system: its threads, comments, authors and decisions come
              into this site. Importing the same file again changes nothing; an import that stopped
              resumes when the same file is uploaded again.
            </p>
            <form class="import-form" noValidate onSubmit={start} aria-label="Upload a file">
              <fieldset class="import-fields" disabled={upload !== null}>
                <div class="field">
                  <label class="field-label" for="import-format">
                    Format
                  </label>
                  <select
                    id="import-format"
                    name="format"
                    aria-describedby="import-format-hint"
                    value={format}
                    onChange={(event) => setFormat(event.currentTarget.value)}
                  >
                    {(formats?.formats ?? [{ name: 'disqus', description: '' }]).map((each) => (
                      <option key={each.name} value={each.name}>
                        {each.name}
                      </option>
                    ))}
                  </select>
                  <span class="field-hint" id="import-format-hint">
                    {chosen?.description}
                  </span>
                </div>
                <div class="field">
                  <label class="field-label" for="import-file">
                    File
                  </label>
                  <input
                    ref={fileInput}
                    id="import-file"
                    type="file"
                    name="file"
                    aria-describedby="import-file-hint"
                    onChange={(event) => {
                      setProblem(null);
                      setFile(event.currentTarget.files?.[0] ?? null);
                    }}
                  />
                  <span class="field-hint" id="import-file-hint">
                    {file
                      ? formatBytes(file.size)
                      : `Up to ${formats ? formatBytes(formats.maxBytes) : '…'}.`}
                  </span>
                </div>
              </fieldset>
              <div class="button-row">
                <button type="submit" class="btn btn-primary" disabled={upload !== null}>
                  {upload ? 'Uploading…' : 'Upload and import'}
                </button>
                {upload && (
                  <button type="button" class="btn" onClick={() => uploading.current?.abort()}>
                    Cancel upload
                  </button>
                )}
              </div>
              {upload && (
                <div class="import-progress">
                  <label class="field-label" for="upload-progress">
                    Uploading {upload.fileName}
                  </label>
                  <progress id="upload-progress" value={upload.sent} max={upload.total || 1} />
                  <span class="muted">
                    {formatBytes(upload.sent)} of {formatBytes(upload.total)} sent
                  </span>
                </div>
              )}
              {problem && (
                <p class="error" role="alert">
                  {problem}
                </p>
              )}
            </form>
            <p class="field-hint">
              Coral’s CSV and MongoDB exports (directories), restores of a Parley archive and dry
              runs are done with the command line: <code>npx parley import</code>.
            </p>
          </Section>

          {shown && <RunPanel key={shown.id} run={shown} onChange={replace} />}

          <Section title="Past imports" id="import-runs">
            {runs === null ? (
              <p class="muted">Loading…</p>
            ) : runs.length === 0 ? (
              <p class="muted">No import into this site yet.</p>
            ) : (
              <RunsTable runs={runs} shownId={shownId} onShow={setShownId} />
            )}
          </Section>
        </div>
      )}
    </div>
  );
}

function RunsTable(props: {
  readonly runs: ImportRun[];
  readonly shownId: string | null;
  readonly onShow: (id: string) => void;
}) {
  return (
    <table class="table import-runs">
      <caption class="vh">Imports into this site, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">File</th>
          <th scope="col">State</th>
          <th scope="col" class="num">
            Imported
          </th>
          <th scope="col" class="num">
            Unchanged
          </th>
          <th scope="col" class="num">
            Skipped
          </th>
        </tr>
      </thead>
      <tbody>
        {props.runs.map((run) => {
          const skipped = Object.values(run.report.skipped).reduce((n, t) => n + t.count, 0);
          const current = run.id === props.shownId;
          return (
            <tr key={run.id} class={current ? 'row-selected' : undefined}>
              <td class="nowrap">
                <time dateTime={run.startedAt} title={formatDateTime(run.startedAt)}>
                  {formatRelative(run.startedAt)}
                </time>
              </td>
              <td>
                <button
                  type="button"
                  class="btn-link import-file"
                  aria-current={current ? 'true' : undefined}
                  onClick={() => props.onShow(run.id)}
                >
                  {run.fileName}
                </button>
                <span class="muted import-kind">
                  {run.format} · {formatBytes(run.fileBytes)}
                </span>
              </td>
              <td>
                <ImportStateBadge run={run} />
              </td>
              <td class="num">{formatCount(run.report.comments.imported)}</td>
              <td class="num">{formatCount(run.report.comments.unchanged)}</td>
              <td class="num">{formatCount(skipped)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
