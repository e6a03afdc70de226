/**
 * Search over all comments the moderator may see (GET /admin/search): text, author, status and
 * dates; results open in the same workspace as the queues, so every action works here too.
 */
import { useRef, useState } from 'preact/hooks';
import { describeError } from '../api/client.js';
import type { CommentStatus, ModerationItem, SearchQuery } from '../api/types.js';
import { useDashboard } from './context.js';
import { plural } from './format.js';
import { SiteSelect } from './SiteSelect.js';
import { Workspace } from './Workspace.js';

interface Form {
  q: string;
  author: string;
  status: string;
  from: string;
  to: string;
}

const EMPTY: Form = { q: '', author: '', status: '', from: '', to: '' };

/** A date field's day as the ISO instant where that local day starts (or ends). */
function dayBound(day: string, end: boolean): string | undefined {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, end ? d + 1 : d, 0, 0, 0, end ? -1 : 0).toISOString();
}

export function SearchView() {
  const { api, siteId } = useDashboard();
  const [form, setForm] = useState<Form>(EMPTY);
  const [query, setQuery] = useState<SearchQuery | null>(null);
  const [items, setItems] = useState<ModerationItem[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);

  const run = async (search: SearchQuery, cursor: string | null) => {
    const id = ++request.current;
    setLoading(true);
    setError(null);
    try {
      const page = await api.search(search, cursor);
      if (id !== request.current) return;
      setItems((current) => (cursor ? [...current, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
    } catch (failure) {
      if (id === request.current) setError(describeError(failure));
    } finally {
      if (id === request.current) setLoading(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const from = dayBound(form.from, false);
    const to = dayBound(form.to, true);
    const search: SearchQuery = {
      ...(form.q.trim() && { q: form.q.trim() }),
      ...(form.author.trim() && { author: form.author.trim() }),
      // The select offers the statuses only.
      ...(form.status && { status: form.status as CommentStatus }),
      ...(from && { from }),
      ...(to && { to }),
      ...(siteId && { siteId }),
    };
    setQuery(search);
    setItems([]);
    void run(search, null);
  };

  const field = (name: keyof Form) => ({
    name,
    value: form[name],
    onInput: (event: Event) =>
      setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value }),
  });

  return (
    <div class="workspace">
      <form class="column column-queues search-form" onSubmit={submit} aria-label="Search comments">
        <h2 class="side-title">Search comments</h2>
        <div class="side-filters">
          <label class="field">
            <span class="field-label">Text contains</span>
            <input type="search" {...field('q')} />
          </label>
          <label class="field">
            <span class="field-label">Author name contains</span>
            <input type="text" {...field('author')} />
          </label>
          <label class="field">
            <span class="field-label">Status</span>
            <select
              name="status"
              value={form.status}
              onChange={(event) => setForm({ ...form, status: event.currentTarget.value })}
            >
              <option value="">Any</option>
              <option value="pending">Pending</option>
              <option value="approved">Approved</option>
              <option value="rejected">Rejected</option>
              <option value="deleted">Deleted</option>
            </select>
          </label>
          <div class="field-pair">
            <label class="field">
              <span class="field-label">From</span>
              <input type="date" {...field('from')} />
            </label>
            <label class="field">
              <span class="field-label">To</span>
              <input type="date" {...field('to')} />
            </label>
          </div>
          <SiteSelect />
          <div class="button-row">
            <button type="submit" class="btn btn-primary">
              Search
            </button>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setForm(EMPTY);
                setQuery(null);
                setItems([]);
                setNextCursor(null);
              }}
            >
              Clear
            </button>
          </div>
        </div>
      </form>
      <Workspace
        listLabel="Search results"
        heading={
          <h1 class="view-title">
            Search
            {query && !loading && <span class="view-count">{plural(items.length, 'result')}</span>}
          </h1>
        }
        items={items}
        loading={loading}
        error={error}
        hasMore={nextCursor !== null}
        onLoadMore={() => query && void run(query, nextCursor)}
        empty={
          <p class="muted">
            {query ? 'No comment matches.' : 'Search by text, author, status or date.'}
          </p>
        }
        onUpdated={(updated) => {
          const byId = new Map(updated.map((item) => [item.comment.id, item]));
          setItems((current) => current.map((item) => byId.get(item.comment.id) ?? item));
        }}
        onUndone={async () => {
          if (query) await run(query, null);
        }}
      />
    </div>
  );
}
