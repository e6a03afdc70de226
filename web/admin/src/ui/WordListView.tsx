/**
 * A site's word lists (the `wordList` of its moderation settings): banned terms reject a comment,
 * suspect terms hold it. Terms are added one at a time or pasted one per line, changed between the
 * two strengths, removed, and searched. A list can hold thousands of terms, so the matches are
 * shown a page at a time and searching filters a precomputed key.
 *
 * The API replaces the whole list on PATCH. Each change is applied to the list as the server has
 * it just then (read again first), so two admins editing at once lose as little as possible; the
 * changes are sent one after another, never two at a time.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, describeError, isAbort } from '../api/client.js';
import type { WordListEntry, WordStrength } from '../api/types.js';
import {
  applyWordChange,
  MAX_TERM_LENGTH,
  MAX_TERMS,
  parseTerms,
  termKey,
  type WordChange,
} from '../state/word-list.js';
import { useDashboard } from './context.js';
import { formatCount, plural } from './format.js';
import { OneSiteSelect, useOneSite } from './SiteSelect.js';

const PAGE = 200;

interface Row {
  readonly entry: WordListEntry;
  readonly key: string;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function WordListView() {
  const { api, me, announce } = useDashboard();
  const siteId = useOneSite();
  const canEdit = me.user.role === 'admin';
  const [list, setList] = useState<WordListEntry[] | null>(null);
  const [siteName, setSiteName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [saving, setSaving] = useState(0);
  const [query, setQuery] = useState('');
  const [strengthFilter, setStrengthFilter] = useState<'' | WordStrength>('');
  const [shown, setShown] = useState(PAGE);
  const [term, setTerm] = useState('');
  const [strength, setStrength] = useState<WordStrength>('banned');
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pasted, setPasted] = useState('');
  const [pasteStrength, setPasteStrength] = useState<WordStrength>('suspect');
  /** Changes are sent one after another: each waits for the previous one. */
  const queue = useRef<Promise<void>>(Promise.resolve());
  /** Changes shown but not yet answered by the server, oldest first. */
  const pending = useRef<WordChange[]>([]);
  const termInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!siteId) return undefined;
    const controller = new AbortController();
    setList(null);
    setError(null);
    setStatus(null);
    api.siteSettings(siteId, controller.signal).then(
      (result) => {
        setList(result.site.moderation.wordList);
        setSiteName(result.site.name);
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [siteId]);

  const rows = useMemo<Row[]>(
    () =>
      (list ?? [])
        .map((entry) => ({ entry, key: termKey(entry.term) }))
        .sort((a, b) => collator.compare(a.entry.term, b.entry.term)),
    [list],
  );
  const counts = useMemo(() => {
    let banned = 0;
    for (const row of rows) if (row.entry.strength === 'banned') banned++;
    return { banned, suspect: rows.length - banned };
  }, [rows]);
  const needle = termKey(query);
  const matches = useMemo(
    () =>
      rows.filter(
        (row) =>
          (!needle || row.key.includes(needle)) &&
          (!strengthFilter || row.entry.strength === strengthFilter),
      ),
    [rows, needle, strengthFilter],
  );
  useEffect(() => setShown(PAGE), [needle, strengthFilter, siteId]);
  const known = useMemo(() => new Set(rows.map((row) => row.key)), [rows]);

  /** Applies a change to the server's current list and saves it; `done` is said on success. */
  const change = (what: WordChange, done: string) => {
    if (!siteId || !canEdit || !list) return;
    const next = applyWordChange(list, what);
    if (next.length > MAX_TERMS) {
      setStatus({
        text: `A word list holds at most ${formatCount(MAX_TERMS)} terms; this would make ${formatCount(next.length)}.`,
        error: true,
      });
      return;
    }
    // Shown at once; the server's answer replaces it, with the changes still queued on top.
    setList(next);
    setSaving((n) => n + 1);
    pending.current.push(what);
    const withPending = (server: readonly WordListEntry[]) =>
      pending.current.reduce<WordListEntry[]>(applyWordChange, [...server]);
    queue.current = queue.current.then(async () => {
      try {
        const latest = await api.siteSettings(siteId);
        const merged = applyWordChange(latest.site.moderation.wordList, what);
        const result = await api.updateSiteSettings(siteId, { moderation: { wordList: merged } });
        pending.current.shift();
        setList(withPending(result.site.moderation.wordList));
        setStatus({ text: done, error: false });
        announce(done);
      } catch (failure) {
        pending.current.shift();
        const text =
          failure instanceof ApiError && failure.code === 'BODY_TOO_LARGE'
            ? `Not saved: a list of ${formatCount(next.length)} terms is more than the server takes in one request. Remove terms, or ask for the server's request limit to be raised.`
            : `Not saved: ${describeError(failure)}`;
        setStatus({ text, error: true });
        announce(text);
        await api.siteSettings(siteId).then(
          (result) => setList(withPending(result.site.moderation.wordList)),
          () => undefined,
        );
      } finally {
        setSaving((n) => n - 1);
      }
    });
  };

  const addOne = (event: Event) => {
    event.preventDefault();
    const value = term.trim();
    if (!value) return;
    if (value.length > MAX_TERM_LENGTH) {
      setStatus({ text: `A term is at most ${MAX_TERM_LENGTH} characters.`, error: true });
      return;
    }
    const existing = rows.find((row) => row.key === termKey(value));
    if (existing?.entry.strength === strength) {
      setStatus({ text: `“${existing.entry.term}” is already ${strength}.`, error: false });
      return;
    }
    change(
      { add: [{ term: value, strength }] },
      existing ? `“${value}” is now ${strength}.` : `Added “${value}” as ${strength}.`,
    );
    setTerm('');
    termInput.current?.focus();
  };

  const parsed = useMemo(() => parseTerms(pasted), [pasted]);
  const pastedNew = parsed.terms.filter((value) => !known.has(termKey(value))).length;
  const addPasted = (event: Event) => {
    event.preventDefault();
    if (parsed.terms.length === 0) return;
    change(
      { add: parsed.terms.map((value) => ({ term: value, strength: pasteStrength })) },
      `Added ${plural(pastedNew, 'term')} as ${pasteStrength}` +
        (parsed.terms.length > pastedNew
          ? `; ${plural(parsed.terms.length - pastedNew, 'term')} already listed now ${pasteStrength}.`
          : '.'),
    );
    setPasted('');
    setPasteOpen(false);
  };

  const visible = matches.slice(0, shown);

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">
          Word lists
          {list && <span class="view-count">{plural(list.length, 'term')}</span>}
        </h1>
        <div class="toolbar">
          <OneSiteSelect />
        </div>
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {!siteId && <p class="empty">You do not moderate any site yet.</p>}
      {siteId && !list && !error && <p class="muted page-body">Loading…</p>}
      {list && (
        <div class="page-body words">
          <p class="words-intro">
            Comments on <strong>{siteName}</strong> containing a <strong>banned</strong> term are
            rejected; a <strong>suspect</strong> term holds them for a moderator. Matching sees
            through case, look-alike letters, leetspeak, spacing and repeated letters.
          </p>
          {!canEdit && (
            <p class="notice" role="note">
              Only administrators can change word lists. You can search them here.
            </p>
          )}
          {canEdit && (
            <div class="words-add">
              <form class="input-row words-add-one" onSubmit={addOne} aria-label="Add a term">
                <label class="field field-grow">
                  <span class="field-label">New term</span>
                  <input
                    ref={termInput}
                    type="text"
                    name="term"
                    dir="auto"
                    maxLength={MAX_TERM_LENGTH}
                    autocomplete="off"
                    spellcheck={false}
                    value={term}
                    onInput={(event) => setTerm(event.currentTarget.value)}
                  />
                </label>
                <StrengthSelect label="Strength" value={strength} onChange={setStrength} />
                <button type="submit" class="btn btn-primary" disabled={!term.trim()}>
                  Add
                </button>
                <button
                  type="button"
                  class="btn"
                  aria-expanded={pasteOpen}
                  aria-controls="words-paste"
                  onClick={() => setPasteOpen((open) => !open)}
                >
                  Paste many…
                </button>
              </form>
              {pasteOpen && (
                <form id="words-paste" class="words-paste" onSubmit={addPasted}>
                  <label class="field">
                    <span class="field-label">Terms, one per line</span>
                    <textarea
                      rows={8}
                      dir="auto"
                      spellcheck={false}
                      value={pasted}
                      onInput={(event) => setPasted(event.currentTarget.value)}
                    />
                    <span class="field-hint">
                      {parsed.terms.length === 0
                        ? 'Blank lines and repeats are skipped.'
                        : `${plural(parsed.terms.length, 'term')}: ${formatCount(pastedNew)} new, ` +
                          `${formatCount(parsed.terms.length - pastedNew)} already listed (their strength changes).`}
                      {parsed.tooLong.length > 0 &&
                        ` ${plural(parsed.tooLong.length, 'line')} over ${MAX_TERM_LENGTH} characters left out.`}
                    </span>
                  </label>
                  <div class="input-row">
                    <StrengthSelect
                      label="Add them as"
                      value={pasteStrength}
                      onChange={setPasteStrength}
                    />
                    <button
                      type="submit"
                      class="btn btn-primary"
                      disabled={parsed.terms.length === 0}
                    >
                      Add {plural(parsed.terms.length, 'term')}
                    </button>
                    <button type="button" class="btn" onClick={() => setPasteOpen(false)}>
                      Cancel
                    </button>
                  </div>
                </form>
              )}
            </div>
          )}
          <div
            class={status?.error ? 'words-status words-status-error' : 'words-status'}
            role={status?.error ? 'alert' : 'status'}
          >
            {saving > 0 ? 'Saving…' : status?.text}
          </div>

          <div class="words-filter" role="search">
            <label class="field field-inline field-grow">
              <span class="field-label-inline">Search the list</span>
              <input
                type="search"
                name="q"
                dir="auto"
                value={query}
                onInput={(event) => setQuery(event.currentTarget.value)}
              />
            </label>
            <label class="field field-inline">
              <span class="field-label-inline">Show</span>
              <select
                value={strengthFilter}
                onChange={(event) =>
                  setStrengthFilter(event.currentTarget.value as '' | WordStrength)
                }
              >
                <option value="">All ({formatCount(rows.length)})</option>
                <option value="banned">Banned ({formatCount(counts.banned)})</option>
                <option value="suspect">Suspect ({formatCount(counts.suspect)})</option>
              </select>
            </label>
            <span class="muted" aria-live="polite">
              {needle || strengthFilter
                ? `${plural(matches.length, 'match', 'matches')}`
                : `${plural(rows.length, 'term')}`}
            </span>
          </div>

          {matches.length === 0 ? (
            <p class="empty">
              {rows.length === 0 ? 'The word list is empty.' : 'No term matches the search.'}
            </p>
          ) : (
            <table class="table words-table">
              <caption class="vh">Terms on the word list, alphabetical</caption>
              <thead>
                <tr>
                  <th scope="col">Term</th>
                  <th scope="col">Strength</th>
                  {canEdit && (
                    <th scope="col">
                      <span class="vh">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {visible.map(({ entry, key }) => (
                  <tr key={key}>
                    <td class="words-term" dir="auto">
                      {entry.term}
                    </td>
                    <td>
                      <span
                        class={
                          entry.strength === 'banned' ? 'badge badge-danger' : 'badge badge-caution'
                        }
                      >
                        {entry.strength === 'banned' ? 'Banned' : 'Suspect'}
                      </span>
                    </td>
                    {canEdit && (
                      <td class="words-actions">
                        <button
                          type="button"
                          class="btn btn-small"
                          aria-label={`Make “${entry.term}” ${entry.strength === 'banned' ? 'suspect' : 'banned'}`}
                          onClick={() => {
                            const to = entry.strength === 'banned' ? 'suspect' : 'banned';
                            change(
                              { add: [{ term: entry.term, strength: to }] },
                              `“${entry.term}” is now ${to}.`,
                            );
                          }}
                        >
                          Make {entry.strength === 'banned' ? 'suspect' : 'banned'}
                        </button>
                        <button
                          type="button"
                          class="btn btn-small btn-quiet-danger"
                          aria-label={`Remove “${entry.term}”`}
                          onClick={() =>
                            change({ remove: [entry.term] }, `Removed “${entry.term}”.`)
                          }
                        >
                          Remove
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {matches.length > visible.length && (
            <div class="list-note">
              <span class="muted">
                Showing {formatCount(visible.length)} of {formatCount(matches.length)}.{' '}
              </span>
              <button type="button" class="btn" onClick={() => setShown((n) => n + PAGE * 5)}>
                Show more
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function StrengthSelect(props: {
  label: string;
  value: WordStrength;
  onChange: (value: WordStrength) => void;
}) {
  return (
    <label class="field">
      <span class="field-label">{props.label}</span>
      <select
        value={props.value}
        onChange={(event) => props.onChange(event.currentTarget.value as WordStrength)}
      >
        <option value="banned">Banned (reject)</option>
        <option value="suspect">Suspect (hold)</option>
      </select>
    </label>
  );
}
