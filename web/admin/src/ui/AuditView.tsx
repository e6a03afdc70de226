/**
 * The audit log (GET /admin/audit) as a newsroom's record: every decision, by a person or the
 * pipeline, newest first, each saying who did what to whose comment, on which story and why, in
 * words, with links to the comment and the author in the dashboard and to the story. Filters by
 * moderator, kind of action and story combine; what changed is one click away. Everything readers
 * or moderators wrote (excerpts, names, reasons) is shown as text, never as markup.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { AdminStory, AuditAction, AuditEntry, AuditPerson, AuditQuery } from '../api/types.js';
import { ACTION_GROUPS, actionLabel, actionWords, queueOf, reasonWords } from './audit-words.js';
import { useDashboard } from './context.js';
import { formatDateTime, formatJson, formatRelative } from './format.js';
import { SiteSelect } from './SiteSelect.js';
import './records.css';

interface AuditFilters {
  readonly actorId: string;
  readonly action: string;
  readonly storyId: string;
  readonly commentId: string;
  readonly userId: string;
}

const NO_FILTERS: AuditFilters = {
  actorId: '',
  action: '',
  storyId: '',
  commentId: '',
  userId: '',
};

/** A name to offer in the moderator filter. */
interface Option {
  readonly id: string;
  readonly label: string;
}

const ERASED_READER = 'an erased reader';

function personName(person: AuditPerson | null, erased = ERASED_READER): string {
  if (!person) return '';
  return person.erased || person.name === null ? erased : person.name;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Only web addresses become links (a story's address comes from a publisher's page). */
const webUrl = (url: string): string | null => (/^https?:\/\//i.test(url) ? url : null);

export function AuditView() {
  const { api, me, siteId, siteName } = useDashboard();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [moderators, setModerators] = useState<Option[]>([]);
  const [stories, setStories] = useState<AdminStory[]>([]);

  const query: AuditQuery = {
    ...(siteId && { siteId }),
    ...(filters.actorId && { actorId: filters.actorId }),
    // The select offers the audit log's kinds only.
    ...(filters.action && { action: filters.action as AuditAction }),
    ...(filters.storyId && { storyId: filters.storyId }),
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
  }, [siteId, filters]);

  // Who may be picked: the moderators and admins the API lists for this viewer, and you.
  useEffect(() => {
    const controller = new AbortController();
    Promise.all(
      (['moderator', 'admin'] as const).map((role) =>
        api.users({ role }, null, controller.signal).then(
          (page) => page.users,
          () => [],
        ),
      ),
    ).then(
      (lists) => {
        if (controller.signal.aborted) return;
        const found = new Map<string, string>([[me.user.id, me.user.name]]);
        for (const user of lists.flat()) found.set(user.id, user.name);
        setModerators([...found].map(([id, label]) => ({ id, label })));
      },
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  // The stories to pick from: the latest of the chosen site (or of all the viewer's sites).
  useEffect(() => {
    const controller = new AbortController();
    api.stories({ siteId }, null, controller.signal).then(
      (page) => setStories(page.stories),
      () => undefined,
    );
    return () => controller.abort();
  }, [siteId]);

  const filterBy = (next: Partial<AuditFilters>) => setFilters({ ...filters, ...next });

  // Names seen in the log join the lists, so a filter set from an entry always has its option.
  const moderatorOptions = [...moderators];
  for (const entry of entries) {
    if (entry.actor && !moderatorOptions.some((option) => option.id === entry.actor?.id)) {
      moderatorOptions.push({
        id: entry.actor.id,
        label: personName(entry.actor, 'an erased account'),
      });
    }
  }
  moderatorOptions.sort((a, b) => a.label.localeCompare(b.label));
  const storyOptions: Option[] = stories.map((story) => ({
    id: story.id,
    label: story.title ?? story.url,
  }));
  for (const entry of entries) {
    if (entry.story && !storyOptions.some((option) => option.id === entry.story?.id)) {
      storyOptions.push({ id: entry.story.id, label: entry.story.title ?? entry.story.url });
    }
  }
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Audit log</h1>
        <form
          class="toolbar"
          aria-label="Filter the audit log"
          onSubmit={(event) => event.preventDefault()}
        >
          <SiteSelect compact />
          <label class="field field-inline">
            <span class="field-label-inline">Moderator</span>
            <select
              name="actorId"
              class="audit-filter"
              value={filters.actorId}
              onChange={(event) => filterBy({ actorId: event.currentTarget.value })}
            >
              <option value="">Anyone</option>
              <option value="pipeline">The pipeline (automatic)</option>
              {moderatorOptions.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          <label class="field field-inline">
            <span class="field-label-inline">Action</span>
            <select
              name="action"
              class="audit-filter"
              value={filters.action}
              onChange={(event) => filterBy({ action: event.currentTarget.value })}
            >
              <option value="">Any action</option>
              {ACTION_GROUPS.map((group) => (
                <optgroup key={group.label} label={group.label}>
                  {group.actions.map((action) => (
                    <option key={action} value={action}>
                      {actionLabel(action)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label class="field field-inline">
            <span class="field-label-inline">Story</span>
            <select
              name="storyId"
              class="audit-story-select"
              value={filters.storyId}
              onChange={(event) => filterBy({ storyId: event.currentTarget.value })}
            >
              <option value="">Any story</option>
              {storyOptions.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          {(filters.commentId || filters.userId) && (
            <span class="badge badge-muted">
              {filters.commentId ? 'One comment’s history' : 'One account’s history'}
            </span>
          )}
          {filtered && (
            <button
              type="button"
              class="btn btn-small btn-ghost"
              onClick={() => setFilters(NO_FILTERS)}
            >
              Clear filters
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
              <th scope="col">Did</th>
              <th scope="col">Comment</th>
              <th scope="col">Author or account</th>
              <th scope="col">Story</th>
              <th scope="col">Reason</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <AuditRow
                key={entry.id}
                entry={entry}
                siteName={entry.siteId ? siteName(entry.siteId) : null}
                onHistory={(next) => setFilters({ ...NO_FILTERS, ...next })}
              />
            ))}
          </tbody>
        </table>
        {!loading && entries.length === 0 && !error && (
          <p class="empty">No actions recorded{filtered ? ' for these filters' : ''}.</p>
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

function AuditRow(props: {
  entry: AuditEntry;
  siteName: string | null;
  onHistory: (filter: Partial<AuditFilters>) => void;
}) {
  const { entry } = props;
  const reason = reasonWords(entry);
  const kind = entry.action.split('.')[1] ?? 'other';
  const queue = entry.comment && !entry.comment.deleted ? queueOf(entry.comment.status) : null;
  const commentHref =
    entry.comment && queue
      ? `/admin/queues/${queue}?${new URLSearchParams({
          ...(entry.siteId && { site: entry.siteId }),
          comment: entry.comment.id,
        }).toString()}`
      : null;
  const user = entry.user;
  const userHref =
    user && !user.erased && user.name !== null
      ? `/admin/users?${new URLSearchParams({ user: user.id, q: user.name }).toString()}`
      : null;
  const storyHref = entry.story ? webUrl(entry.story.url) : null;
  const hasChanges =
    (entry.before !== null && entry.before !== undefined) ||
    (entry.after !== null && entry.after !== undefined);

  return (
    <tr class={entry.undoneAt ? 'undone' : undefined} data-entry-id={entry.id}>
      <td class="nowrap">
        <time dateTime={entry.at} title={formatDateTime(entry.at)}>
          {formatRelative(entry.at)}
        </time>
      </td>
      <td dir="auto" class="audit-who">
        {entry.actor ? (
          personName(entry.actor, 'an erased account')
        ) : (
          <span class="muted">The pipeline</span>
        )}
      </td>
      <td class="audit-did">
        <span class={`action-words action-${entry.action.endsWith('.undo') ? 'undo' : kind}`}>
          {actionWords(entry.action)}
        </span>
        {entry.action.endsWith('.undo') && (
          <span class="audit-undo-of">
            {' '}
            (undo of “{actionWords(entry.undoOf?.action ?? entry.action.slice(0, -5))}”
            {entry.undoOf && (
              <>
                {' by '}
                <bdi>{personName(entry.undoOf.actor, 'the pipeline') || 'the pipeline'}</bdi>
                {', '}
                <time dateTime={entry.undoOf.at} title={formatDateTime(entry.undoOf.at)}>
                  {formatRelative(entry.undoOf.at)}
                </time>
              </>
            )}
            )
          </span>
        )}
        {entry.undoneAt && (
          <span class="badge badge-muted" title={formatDateTime(entry.undoneAt)}>
            undone
          </span>
        )}
        {props.siteName && <span class="muted audit-site"> on {props.siteName}</span>}
      </td>
      <td class="audit-comment">
        {entry.comment &&
          (entry.comment.deleted ? (
            <span class="muted">(deleted)</span>
          ) : commentHref ? (
            <a href={commentHref} class="audit-excerpt" dir="auto" title="Open in the queue">
              {entry.comment.excerpt || '(no text)'}
            </a>
          ) : (
            <span class="audit-excerpt" dir="auto">
              {entry.comment.excerpt || '(no text)'}
            </span>
          ))}
        {entry.comment && (
          <button
            type="button"
            class="btn-link audit-history"
            onClick={() => props.onHistory({ commentId: entry.comment?.id ?? '' })}
          >
            history
          </button>
        )}
      </td>
      <td dir="auto">
        {user &&
          (userHref ? (
            <a href={userHref}>{user.name}</a>
          ) : (
            <span class="muted">{ERASED_READER}</span>
          ))}
      </td>
      <td dir="auto">
        {entry.story &&
          (storyHref ? (
            <a href={storyHref} target="_blank" rel="noopener noreferrer">
              {entry.story.title ?? entry.story.url}
            </a>
          ) : (
            (entry.story.title ?? entry.story.url)
          ))}
      </td>
      <td dir="auto">
        {reason ? (
          reason.quoted ? (
            <q>{reason.text}</q>
          ) : (
            capitalised(reason.text)
          )
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td>
        {hasChanges ? (
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
  );
}
