/**
 * The right-hand column: what to do with the selected comment, the conversation around it
 * (GET /admin/comments/:id) and its author's record (GET /admin/users/:id) with the actions on
 * the author. On a phone it is a view of its own, in turn with the list (Workspace.tsx): a "Back
 * to the list" control at the top, and the comment's action bar (with the last action's outcome)
 * kept at the bottom of the screen while the rest scrolls.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api/client.js';
import type { CommentDetails, ModerationItem, ModerationUser, UserDetails } from '../api/types.js';
import { AuthorBadges, StatusBadge } from './badges.js';
import { useDashboard } from './context.js';
import { formatDate, formatDateTime, formatRelative } from './format.js';
import { AppealReview } from './DsaPanels.js';
import { ItemCard } from './ItemCard.js';
import { RecentComments } from './RecentComments.js';
import { RoleEditor, type SetRole } from './RoleEditor.js';

export interface DetailActions {
  readonly approve: (item: ModerationItem) => void;
  readonly reject: (item: ModerationItem) => void;
  readonly toggleFeature: (item: ModerationItem) => void;
  readonly remove: (item: ModerationItem) => void;
  readonly ban: (item: ModerationItem) => void;
  readonly unban: (user: ModerationUser) => void;
  readonly suspend: (user: ModerationUser) => void;
  readonly unsuspend: (user: ModerationUser) => void;
  readonly warn: (user: ModerationUser) => void;
  readonly premoderate: (user: ModerationUser, on: boolean) => void;
  readonly setRole: SetRole;
  readonly noteAdded: () => void;
}

interface DetailsPanelProps {
  /** On a phone: shown (instead of the list). Wider screens always show the details. */
  readonly open?: boolean;
  readonly onBack?: () => void;
  /** The last action's outcome, repeated in the action bar where the list's status bar is hidden. */
  readonly status?: ComponentChildren;
  readonly item: ModerationItem | null;
  readonly version: number;
  readonly busy: boolean;
  readonly actions: DetailActions;
  readonly onFilterStory?: (story: ModerationItem['story']) => void;
}

/** Waits this long after the selection settles before loading, so j/k stays quick. */
const SETTLE_MS = 120;

export function DetailsPanel({
  open = true,
  onBack,
  status,
  item,
  version,
  busy,
  actions,
  onFilterStory,
}: DetailsPanelProps) {
  const { api } = useDashboard();
  const [comment, setComment] = useState<CommentDetails | null>(null);
  const [user, setUser] = useState<UserDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commentId = item?.comment.id ?? null;
  const authorId = item?.author.id ?? null;

  useEffect(() => {
    if (!commentId || !authorId) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      Promise.all([
        api.comment(commentId, controller.signal),
        api.user(authorId, controller.signal),
      ]).then(
        ([commentDetails, userDetails]) => {
          setComment(commentDetails);
          setUser(userDetails);
          setError(null);
        },
        (failure: unknown) => {
          if (!controller.signal.aborted) setError(describeError(failure));
        },
      );
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [commentId, authorId, version]);

  const paneClass = open ? 'column column-details' : 'column column-details pane-off';
  const back = onBack && (
    <div class="details-back">
      <button id="details-back" type="button" class="btn btn-ghost" onClick={onBack}>
        <span aria-hidden="true">‹ </span>Back to the list
      </button>
    </div>
  );

  if (!item) {
    return (
      <aside class={paneClass} aria-label="Details">
        {back}
        <p class="empty">Select a comment to see its context and its author’s record.</p>
      </aside>
    );
  }

  const fresh = comment?.item.comment.id === item.comment.id ? comment : null;
  const record = user?.user.id === item.author.id ? user : null;
  const author = record?.user ?? item.author;
  const { comment: c } = item;

  return (
    <aside class={paneClass} aria-label="Details of the selected comment">
      {back}
      <h2 id="actions-title" class="panel-title details-title">
        Comment by {item.author.name} <StatusBadge status={c.status} />
        {c.featured && <span class="badge badge-featured">★ Featured</span>}
      </h2>
      <div class="action-bar" role="group" aria-label="Actions on this comment">
        {status && <div class="action-bar-status">{status}</div>}
        <div class="action-grid">
          <button
            type="button"
            class="btn btn-approve"
            disabled={busy || c.status === 'deleted'}
            onClick={() => actions.approve(item)}
          >
            Approve <kbd>a</kbd>
          </button>
          <button
            type="button"
            class="btn btn-reject"
            disabled={busy || c.status === 'deleted'}
            onClick={() => actions.reject(item)}
          >
            Reject… <kbd>r</kbd>
          </button>
          <button
            type="button"
            class="btn"
            disabled={busy || c.status !== 'approved'}
            title={c.status !== 'approved' ? 'Only published comments can be featured' : undefined}
            onClick={() => actions.toggleFeature(item)}
          >
            {c.featured ? 'Unfeature' : 'Feature'} <kbd>f</kbd>
          </button>
          <button
            type="button"
            class="btn btn-quiet-danger"
            disabled={busy || c.status === 'deleted'}
            onClick={() => actions.remove(item)}
          >
            Delete…
          </button>
        </div>
      </div>
      <AppealReview key={item.comment.id} item={item} />
      <section class="panel panel-facts" aria-labelledby="actions-title">
        <dl class="facts">
          <dt>Posted</dt>
          <dd>{formatDateTime(c.createdAt)}</dd>
          <dt>Reviewed</dt>
          <dd>{c.reviewed ? 'Yes, by a person' : 'Not yet'}</dd>
          <dt>Replies · reactions</dt>
          <dd>
            {c.replyCount} · {c.reactionCount}
          </dd>
          <dt>Story</dt>
          <dd>
            <a href={item.story.url} target="_blank" rel="noopener noreferrer">
              {item.story.title ?? item.story.url}
            </a>
            {onFilterStory && (
              <>
                {' '}
                <button type="button" class="btn-link" onClick={() => onFilterStory(item.story)}>
                  Only this story
                </button>
              </>
            )}
          </dd>
        </dl>
      </section>

      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}

      {fresh?.parent && (
        <section class="panel" aria-labelledby="parent-title">
          <h2 id="parent-title" class="panel-title">
            In reply to
          </h2>
          <ItemCard item={fresh.parent} compact />
        </section>
      )}
      {fresh && fresh.replies.length > 0 && (
        <section class="panel" aria-labelledby="replies-title">
          <h2 id="replies-title" class="panel-title">
            Replies <span class="muted">({c.replyCount})</span>
          </h2>
          <ol class="mini-list">
            {fresh.replies.map((reply) => (
              <li key={reply.comment.id}>
                <ItemCard item={reply} compact />
              </li>
            ))}
          </ol>
        </section>
      )}

      <section class="panel" aria-labelledby="author-title">
        <h2 id="author-title" class="panel-title">
          Author: {author.name}
        </h2>
        <p class="badge-line">
          <AuthorBadges user={author} />
          <span class="muted">Joined {formatDate(author.createdAt)}</span>
        </p>
        <div class="counts" aria-label="The author’s comments">
          <div class="count count-approved">
            <span class="count-number">{author.counts.approved}</span>
            <span class="count-label">approved</span>
          </div>
          <div class="count count-pending">
            <span class="count-number">{author.counts.pending}</span>
            <span class="count-label">pending</span>
          </div>
          <div class="count count-rejected">
            <span class="count-number">{author.counts.rejected}</span>
            <span class="count-label">rejected</span>
          </div>
        </div>
        {author.suspendedUntil && new Date(author.suspendedUntil).getTime() > Date.now() && (
          <p class="standing">Suspended until {formatDateTime(author.suspendedUntil)}.</p>
        )}
        {author.warning && (
          <p class="standing">
            Warned{author.warning.acknowledged ? ' (acknowledged)' : ' (not yet acknowledged)'}:{' '}
            <span dir="auto">“{author.warning.message}”</span>
          </p>
        )}
        <div class="action-grid">
          {author.banned ? (
            <button type="button" class="btn" onClick={() => actions.unban(author)}>
              Lift ban
            </button>
          ) : (
            <button type="button" class="btn btn-quiet-danger" onClick={() => actions.ban(item)}>
              Ban… <kbd>b</kbd>
            </button>
          )}
          {author.suspendedUntil && new Date(author.suspendedUntil).getTime() > Date.now() ? (
            <button type="button" class="btn" onClick={() => actions.unsuspend(author)}>
              Lift suspension
            </button>
          ) : (
            <button type="button" class="btn" onClick={() => actions.suspend(author)}>
              Suspend…
            </button>
          )}
          <button type="button" class="btn" onClick={() => actions.warn(author)}>
            Warn…
          </button>
          <button
            type="button"
            class="btn"
            aria-pressed={author.alwaysPremoderate}
            onClick={() => actions.premoderate(author, !author.alwaysPremoderate)}
          >
            {author.alwaysPremoderate ? 'Stop pre-moderating' : 'Always pre-moderate'}
          </button>
        </div>
        <RoleEditor user={author} setRole={actions.setRole} />
      </section>

      <Notes
        userId={author.id}
        notes={record?.notes ?? null}
        onAdded={() => actions.noteAdded()}
        key={author.id}
      />

      {record && (
        <RecentComments
          id="recent-title"
          title={`Recent comments by ${author.name}`}
          items={record.recent}
        />
      )}
    </aside>
  );
}

export function Notes(props: {
  readonly userId: string;
  readonly notes: UserDetails['notes'] | null;
  readonly onAdded: () => void;
}) {
  const { api } = useDashboard();
  const [added, setAdded] = useState<UserDetails['notes']>([]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const known = new Set((props.notes ?? []).map((note) => note.id));
  const notes = [...added.filter((note) => !known.has(note.id)), ...(props.notes ?? [])];

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const { note } = await api.addNote(props.userId, text.trim());
      setAdded((current) => [note, ...current]);
      setText('');
      props.onAdded();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="notes-title">
      <h2 id="notes-title" class="panel-title">
        Moderator notes
      </h2>
      {props.notes === null && <p class="muted">Loading…</p>}
      {props.notes !== null && notes.length === 0 && <p class="muted">No notes yet.</p>}
      {notes.length > 0 && (
        <ul class="notes">
          {notes.map((note) => (
            <li key={note.id} class="note">
              <p class="note-text" dir="auto">
                {note.text}
              </p>
              <p class="note-meta">
                {note.by.name} ·{' '}
                <time dateTime={note.createdAt} title={formatDateTime(note.createdAt)}>
                  {formatRelative(note.createdAt)}
                </time>
              </p>
            </li>
          ))}
        </ul>
      )}
      <form class="note-form" onSubmit={submit}>
        <label class="vh" for={`note-${props.userId}`}>
          New note about this author
        </label>
        <input
          id={`note-${props.userId}`}
          type="text"
          placeholder="Add a note for other moderators"
          maxLength={2000}
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <button type="submit" class="btn btn-small" disabled={busy || !text.trim()}>
          Add
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
