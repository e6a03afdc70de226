/**
 * A site's Q&A sections (docs/qa.md), in Sites: the sections (the widget's data-section) whose new
 * stories start as a Q&A, one per line. Saved with PUT /admin/sites/:id/qa-defaults (admins).
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { describeError, isAbort } from '../../api/client.js';
import { useDashboard } from '../context.js';

export function QaSections(props: { siteId: string }) {
  const { api, announce } = useDashboard();
  const [text, setText] = useState<string | null>(null);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    const controller = new AbortController();
    api.qaSections(props.siteId, controller.signal).then(
      ({ sections }) => setText(sections.join('\n')),
      (failure: unknown) => {
        if (!isAbort(failure)) setStatus({ text: describeError(failure), error: true });
      },
    );
    return () => controller.abort();
  }, [props.siteId]);

  const save = async (event: Event) => {
    event.preventDefault();
    const sections = (text ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    setBusy(true);
    try {
      const answer = await api.setQaSections(props.siteId, sections);
      const saved = answer.sections;
      setText(saved.join('\n'));
      const said = saved.length
        ? `New stories in ${saved.length === 1 ? 'this section' : `these ${saved.length} sections`} start as a Q&A.`
        : 'New stories start with comments in every section.';
      setStatus({ text: said, error: false });
      announce(said);
    } catch (failure) {
      const said = describeError(failure);
      setStatus({ text: said, error: true });
      announce(said);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="site-section" aria-labelledby={`${id}-title`} onSubmit={save} noValidate>
      <h2 id={`${id}-title`}>Q&amp;A sections</h2>
      <p class="field-hint" id={`${id}-hint`}>
        New stories in these sections (the widget’s <code>data-section</code>) start as a Q&amp;A:
        readers ask, the newsroom answers. One section per line. A story can be switched either way
        in Stories.
      </p>
      <label class="field">
        <span class="field-label">Sections</span>
        <textarea
          name="qaSections"
          rows={3}
          value={text ?? ''}
          disabled={text === null}
          aria-describedby={`${id}-hint`}
          onInput={(event) => setText(event.currentTarget.value)}
        />
      </label>
      <div class="button-row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save sections'}
        </button>
      </div>
      <div
        class={status?.error ? 'words-status words-status-error' : 'words-status'}
        role={status?.error ? 'alert' : 'status'}
      >
        {status?.text}
      </div>
    </form>
  );
}
