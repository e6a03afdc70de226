/**
 * A story's Q&A (docs/qa.md), opened from its row in Stories: the switch between comments and Q&A,
 * whether the Q&A takes questions (closed, it stays readable), and its experts, the newsroom's
 * people who answer under their name with a title ("Science editor"), found among the site's
 * staff by name or email. Saved together (PUT /admin/stories/:id/qa) and logged.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { describeError, isAbort } from '../../api/client.js';
import type { QaExpert, QaStoryState } from '../../api/qa.js';
import { useDashboard } from '../context.js';
import './qa.css';

interface ExpertDraft {
  readonly id: string;
  readonly name: string;
  readonly title: string;
}

interface Found {
  readonly id: string;
  readonly name: string;
  readonly role: string;
}

export function StoryQa(props: {
  storyId: string;
  title: string;
  onSaved?: (on: boolean) => void;
}) {
  const { api, announce } = useDashboard();
  const { storyId, title } = props;
  const [loaded, setLoaded] = useState<QaStoryState | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [open, setOpen] = useState(true);
  const [experts, setExperts] = useState<readonly ExpertDraft[]>([]);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const show = (story: QaStoryState) => {
    setLoaded(story);
    setEnabled(story.mode === 'qa');
    setOpen(story.qa ? story.qa.open : true);
    setExperts(
      ((story.qa && story.qa.experts) || []).map((expert: QaExpert) => ({
        id: expert.id,
        name: expert.displayName,
        title: expert.title ?? '',
      })),
    );
  };

  useEffect(() => {
    const controller = new AbortController();
    api.storyQa(storyId, controller.signal).then(
      ({ story }) => show(story),
      (failure: unknown) => {
        if (!isAbort(failure)) setStatus({ text: describeError(failure), error: true });
      },
    );
    return () => controller.abort();
  }, [storyId]);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { story } = await api.setStoryQa(storyId, {
        enabled,
        open,
        experts: experts.map((expert) => ({
          id: expert.id,
          ...(expert.title.trim() && { title: expert.title.trim() }),
        })),
      });
      show({ ...story, id: storyId });
      const text = !enabled
        ? `“${title}” takes comments again.`
        : open
          ? `“${title}” is a Q&A, open for questions.`
          : `“${title}” is a Q&A, closed to new questions (still readable).`;
      setStatus({ text, error: false });
      announce(text);
      props.onSaved?.(enabled);
    } catch (failure) {
      const text = describeError(failure);
      setStatus({ text, error: true });
      announce(text);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="qa-story" aria-labelledby={`${id}-title`} onSubmit={save} noValidate>
      <h3 id={`${id}-title`}>Q&amp;A on “{title}”</h3>
      {!loaded && !status && <p class="muted">Loading…</p>}
      {loaded && (
        <>
          <label class="check">
            <input
              type="checkbox"
              name="enabled"
              checked={enabled}
              onChange={(event) => setEnabled(event.currentTarget.checked)}
            />
            Q&amp;A: readers ask questions, the story’s experts answer them
          </label>
          <label class="check">
            <input
              type="checkbox"
              name="open"
              checked={open}
              disabled={!enabled}
              onChange={(event) => setOpen(event.currentTarget.checked)}
            />
            Open for questions and votes (closed, the questions and answers stay readable)
          </label>
          <fieldset class="qa-experts" disabled={!enabled}>
            <legend>Experts</legend>
            <p class="field-hint">
              Members of the newsroom (staff, moderators, admins) who answer under their name with
              an expert’s badge. Any staff member may answer too.
            </p>
            {experts.length === 0 ? (
              <p class="muted">No expert named yet.</p>
            ) : (
              <ul class="qa-expert-list">
                {experts.map((expert, index) => (
                  <li key={expert.id}>
                    <span dir="auto">{expert.name}</span>
                    <label class="field field-inline">
                      <span class="field-label-inline">Title</span>
                      <input
                        name={`title-${expert.id}`}
                        value={expert.title}
                        maxLength={100}
                        placeholder="Science editor"
                        onInput={(event) => {
                          const value = event.currentTarget.value;
                          setExperts((current) =>
                            current.map((one, at) =>
                              at === index ? { ...one, title: value } : one,
                            ),
                          );
                        }}
                      />
                    </label>
                    <button
                      type="button"
                      class="btn btn-small btn-ghost"
                      aria-label={`Remove ${expert.name}`}
                      onClick={() =>
                        setExperts((current) => current.filter((one) => one.id !== expert.id))
                      }
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <ExpertSearch
              chosen={experts}
              onPick={(found) =>
                setExperts((current) => [...current, { id: found.id, name: found.name, title: '' }])
              }
            />
          </fieldset>
          <div class="button-row">
            <button type="submit" class="btn btn-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save Q&A'}
            </button>
          </div>
        </>
      )}
      <div
        class={status?.error ? 'words-status words-status-error' : 'words-status'}
        role={status?.error ? 'alert' : 'status'}
      >
        {status?.text}
      </div>
    </form>
  );
}

/** Finds the newsroom's accounts by name or email (GET /admin/users), commenters left out. */
function ExpertSearch(props: { chosen: readonly ExpertDraft[]; onPick: (found: Found) => void }) {
  const { api } = useDashboard();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<readonly Found[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const search = async () => {
    if (!q.trim()) return;
    setError(null);
    try {
      const page = await api.users({ q: q.trim() }, null);
      setFound(
        page.users
          .filter((user) => user.role !== 'commenter')
          .map((user) => ({ id: user.id, name: user.name, role: user.role })),
      );
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  const left = (found ?? []).filter((one) => !props.chosen.some((chosen) => chosen.id === one.id));
  return (
    <div class="qa-expert-search">
      <label class="field field-inline">
        <span class="field-label-inline">Find a staff member</span>
        <input
          type="search"
          name="expert-q"
          value={q}
          aria-describedby={`${id}-results`}
          onInput={(event) => setQ(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            void search();
          }}
        />
      </label>
      <button type="button" class="btn btn-small" onClick={() => void search()}>
        Find
      </button>
      <div id={`${id}-results`} role="status">
        {error && <p class="error">{error}</p>}
        {found && found.length === 0 && <p class="muted">No staff member matches.</p>}
      </div>
      {left.length > 0 && (
        <ul class="qa-found" aria-label="Staff found">
          {left.map((one) => (
            <li key={one.id}>
              <span dir="auto">{one.name}</span> <span class="muted">{one.role}</span>{' '}
              <button
                type="button"
                class="btn btn-small"
                aria-label={`Add ${one.name} as an expert`}
                onClick={() => props.onPick(one)}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
