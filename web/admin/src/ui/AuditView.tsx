/**
 * The audit log (GET /admin/audit): every decision, by a person or the pipeline, newest first,
 * filterable by comment and user; what changed is one click away.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { AuditEntry } from '../api/types.js';
import { useDashboard } from './context.js';
import { formatDateTime, formatJson, formatRelative } from './format.js';
import { SiteSelect } from './SiteSelect.js';

interface AuditFilters {
  readonly commentId: string;
  readonly userId: string;
}

export function AuditView() {
  const { api, siteId, siteName } = useDashboard();
  const [draft, setDraft] = useState<AuditFilters>({ commentId: '', userId: '' });
  const [filters, setFilters] = useState<AuditFilters>({ commentId: '', userId: '' });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const query = {
    ...(siteId && { siteId }),
    ...(filters.commentId && { commentId: filters.commentId }),
    ...(filters.userId && { userId: filters.userId }),
  };

  const load = async (cursor: string | null, signal?: AbortSignal) => {
    setLoading(true);
    try {
      const page = await api.audit(query, cursor, signal);
      setEntries((current) => (cursor ? [...current, ...page.entries] : page.entries));
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      if (!isAbort(failure)) setError(describeError(failure));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const controller = new AbortController();
    setEntries([]);
    void load(null, controller.signal);
    return () => controller.abort();
  }, [siteId, filters.commentId, filters.userId]);

  const filterBy = (next: Partial<AuditFilters>) => {
    const merged = { ...filters, ...next };
    setDraft(merged);
    setFilters(merged);
  };

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Audit log</h1>
        <form
          class="toolbar"
          aria-label="Filter the audit log"
          onSubmit={(event) => {
            event.preventDefault();
            setFilters({ commentId: draft.commentId.trim(), userId: draft.userId.trim() });
          }}
        >
          <SiteSelect compact />
          <label class="field field-inline">
            <span class="field-label-inline">Comment ID</span>
            <input
              type="text"
              value={draft.commentId}
              onInput={(event) => setDraft({ ...draft, commentId: event.currentTarget.value })}
            />
          </label>
          <label class="field field-inline">
            <span class="field-label-inline">User ID</span>
            <input
              type="text"
              value={draft.userId}
              onInput={(event) => setDraft({ ...draft, userId: event.currentTarget.value })}
            />
          </label>
          <button type="submit" class="btn btn-small">
            Filter
          </button>
          {(filters.commentId || filters.userId) && (
            <button
              type="button"
              class="btn btn-small btn-ghost"
              onClick={() => filterBy({ commentId: '', userId: '' })}
            >
              Clear
            </button>
          )}
        </form>
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      <div class="page-body">
        <table class="table audit">
          <caption class="vh">Moderation actions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Comment</th>
              <th scope="col">User</th>
              <th scope="col">Reason</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} class={entry.undoneAt ? 'undone' : undefined}>
                <td class="nowrap">
                  <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                    {formatRelative(entry.at)}
                  </time>
                </td>
                <td>{entry.actor ? entry.actor.name : <span class="muted">Pipeline</span>}</td>
                <td>
                  <code class={`action action-${entry.action.split('.')[1] ?? 'other'}`}>
                    {entry.action}
                  </code>
                  {entry.undoneAt && (
                    <span class="badge badge-muted" title={formatDateTime(entry.undoneAt)}>
                      undone
                    </span>
                  )}
                  {entry.siteId && siteName(entry.siteId) && (
                    <span class="muted audit-site"> {siteName(entry.siteId)}</span>
                  )}
                </td>
                <td>
                  {entry.commentId && (
                    <button
                      type="button"
                      class="btn-link mono"
                      title={`${entry.commentId}: show only this comment’s history`}
                      onClick={() => filterBy({ commentId: entry.commentId ?? '' })}
                    >
                      {short(entry.commentId)}
                    </button>
                  )}
                </td>
                <td>
                  {entry.userId && (
                    <button
                      type="button"
                      class="btn-link mono"
                      title={`${entry.userId}: show only this user’s history`}
                      onClick={() => filterBy({ userId: entry.userId ?? '' })}
                    >
                      {short(entry.userId)}
                    </button>
                  )}
                </td>
                <td dir="auto">{entry.reason ?? <span class="muted">—</span>}</td>
                <td>
                  {(entry.before !== null && entry.before !== undefined) ||
                  (entry.after !== null && entry.after !== undefined) ? (
                    <details class="changes">
                      <summary>Show</summary>
                      <div class="changes-grid">
                        <div>
                          <p class="field-label">Before</p>
                          <pre>{formatJson(entry.before)}</pre>
                        </div>
                        <div>
                          <p class="field-label">After</p>
                          <pre>{formatJson(entry.after)}</pre>
                        </div>
                      </div>
                    </details>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && entries.length === 0 && !error && (
          <p class="empty">
            No actions recorded{filters.commentId || filters.userId ? ' for this filter' : ''}.
          </p>
        )}
        {loading && <p class="muted list-note">Loading…</p>}
        {nextCursor && !loading && (
          <div class="list-note">
            <button type="button" class="btn" onClick={() => void load(nextCursor)}>
              Load more
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

/** The tail of an id: enough to tell rows apart; the full id is in the title. */
const short = (id: string) => (id.length > 10 ? `…${id.slice(-8)}` : id);
