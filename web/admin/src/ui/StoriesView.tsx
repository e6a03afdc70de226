/**
 * Stories (GET /admin/stories, PATCH /admin/stories/:id): the newest stories on the moderator's
 * sites, found by title or address, each opened or closed to new comments and pre-moderated or
 * not. Each change is saved at once and logged as `story.settings`.
 */
import { useState } from 'preact/hooks';
import { describeError } from '../api/client.js';
import type { AdminStory } from '../api/types.js';
import { usePagedList } from '../state/paged-list.js';
import { useDashboard } from './context.js';
import { formatCount, formatDate, plural } from './format.js';
import { PagedListFrame } from './PagedListFrame.js';
import { StoryQa } from './qa/StoryQa.js';
import { SiteSelect } from './SiteSelect.js';

type Setting = 'closed' | 'premoderated' | 'liveUpdates';

export function StoriesView() {
  const { api, siteId, siteName, sites, announce } = useDashboard();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const list = usePagedList<AdminStory>(
    async (cursor, signal) => {
      const page = await api.stories({ siteId, q }, cursor, signal);
      return { items: page.stories, nextCursor: page.nextCursor };
    },
    [siteId, q],
  );
  const { items: stories, replace } = list;
  /** Changes on their way to the server, shown as made until it answers. */
  const [busy, setBusy] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  /** The story whose Q&A settings are open under its row (docs/qa.md). */
  const [qaOpen, setQaOpen] = useState<string | null>(null);
  const toggle = async (story: AdminStory, setting: Setting, on: boolean) => {
    const key = `${story.id}:${setting}`;
    setBusy((current) => new Map([...current, [key, on]]));
    try {
      const { story: updated } = await api.updateStory(story.id, { [setting]: on });
      replace(updated);
      const title = updated.title ?? updated.url;
      const text = {
        closed: `“${title}” is ${on ? 'closed to new comments' : 'open for comments'}.`,
        premoderated: `New comments on “${title}” are ${on ? 'held for a moderator' : 'no longer held'}.`,
        liveUpdates: `Open pages of “${title}” ${on ? 'show new comments live' : 'no longer update live'}.`,
      }[setting];
      setStatus({ text, error: false });
      announce(text);
    } catch (failure) {
      const text = describeError(failure);
      setStatus({ text, error: true });
      announce(text);
    } finally {
      setBusy((current) => new Map([...current].filter(([other]) => other !== key)));
    }
  };

  return (
    <PagedListFrame
      layout="page"
      title="Stories"
      count={(n) => plural(n, 'story', 'stories')}
      list={list}
      empty={q ? 'No story matches.' : 'No stories yet.'}
      tools={
        <form
          class="toolbar"
          role="search"
          aria-label="Find stories"
          onSubmit={(event) => {
            event.preventDefault();
            setQ(draft.trim());
          }}
        >
          <SiteSelect compact />
          <label class="field field-inline">
            <span class="field-label-inline">Title or address</span>
            <input
              type="search"
              name="q"
              value={draft}
              onInput={(event) => setDraft(event.currentTarget.value)}
            />
          </label>
          <button type="submit" class="btn btn-small">
            Find
          </button>
          {q && (
            <button
              type="button"
              class="btn btn-small btn-ghost"
              onClick={() => {
                setDraft('');
                setQ('');
              }}
            >
              Clear
            </button>
          )}
        </form>
      }
    >
      <div
        class={status?.error ? 'words-status words-status-error' : 'words-status'}
        role={status?.error ? 'alert' : 'status'}
      >
        {status?.text}
      </div>
      <table class="table stories-table">
        <caption class="vh">Stories, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Story</th>
            {sites.length > 1 && <th scope="col">Site</th>}
            <th scope="col">Published</th>
            <th scope="col" class="num">
              Comments
            </th>
            <th scope="col">Closed</th>
            <th scope="col">Pre-moderated</th>
            <th scope="col">Live updates</th>
            <th scope="col">Q&amp;A</th>
          </tr>
        </thead>
        <tbody>
          {stories.map((story) => {
            const title = story.title ?? story.url;
            const mode = (story as { mode?: string }).mode;
            return [
              <tr key={story.id} class={story.closed ? 'story-closed' : undefined}>
                <td>
                  <a class="story-title" href={story.url} target="_blank" rel="noopener noreferrer">
                    {title}
                  </a>
                  {story.title && <span class="muted story-url">{story.url}</span>}
                </td>
                {sites.length > 1 && <td>{siteName(story.siteId) ?? '—'}</td>}
                <td class="nowrap">
                  {story.publishedAt ? formatDate(story.publishedAt) : <span class="muted">—</span>}
                </td>
                <td class="num">{formatCount(story.commentCount)}</td>
                <td>
                  <Switch
                    label={`Close “${title}” to new comments`}
                    on={busy.get(`${story.id}:closed`) ?? story.closed}
                    onText="Closed"
                    offText="Open"
                    busy={busy.has(`${story.id}:closed`)}
                    onChange={(on) => void toggle(story, 'closed', on)}
                  />
                </td>
                <td>
                  <Switch
                    label={`Pre-moderate “${title}”`}
                    on={busy.get(`${story.id}:premoderated`) ?? story.premoderated}
                    onText="Held"
                    offText="Off"
                    busy={busy.has(`${story.id}:premoderated`)}
                    onChange={(on) => void toggle(story, 'premoderated', on)}
                  />
                </td>
                <td>
                  <Switch
                    label={`Live updates on “${title}”`}
                    on={busy.get(`${story.id}:liveUpdates`) ?? story.liveUpdates}
                    onText="On"
                    offText="Off"
                    busy={busy.has(`${story.id}:liveUpdates`)}
                    onChange={(on) => void toggle(story, 'liveUpdates', on)}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    class="btn btn-small"
                    aria-expanded={qaOpen === story.id}
                    aria-label={`${qaButton(mode)}: Q&A of “${title}”`}
                    onClick={() => setQaOpen(qaOpen === story.id ? null : story.id)}
                  >
                    {qaButton(mode)}
                  </button>
                </td>
              </tr>,
              qaOpen === story.id && (
                <tr key={`${story.id}:qa`} class="qa-row">
                  <td colSpan={sites.length > 1 ? 8 : 7}>
                    <StoryQa
                      storyId={story.id}
                      title={title}
                      onSaved={(on) =>
                        replace({ ...story, mode: on ? 'qa' : 'comments' } as AdminStory)
                      }
                    />
                  </td>
                </tr>
              ),
            ];
          })}
        </tbody>
      </table>
    </PagedListFrame>
  );
}

/** A checkbox that reads as a switch: the state in words beside it, the action in its label. */
function Switch(props: {
  label: string;
  on: boolean;
  onText: string;
  offText: string;
  busy: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label class={props.on ? 'switch switch-on' : 'switch'}>
      <input
        type="checkbox"
        aria-label={props.label}
        checked={props.on}
        disabled={props.busy}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <span aria-hidden="true">{props.busy ? '…' : props.on ? props.onText : props.offText}</span>
    </label>
  );
}

/** The words of a story's Q&A button, which its accessible name starts with. */
function qaButton(mode: string | undefined): string {
  return mode === 'qa' ? 'Q&A on' : mode === 'comments' ? 'Comments' : 'Q&A…';
}
