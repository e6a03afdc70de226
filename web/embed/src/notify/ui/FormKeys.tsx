/**
 * Keyboard shortcuts of the comment forms (CommentForm.tsx), added to the form through the DOM (as
 * the mentions are, Compose.tsx): Ctrl+Enter (Cmd+Enter on a Mac) posts; Escape in a reply box with
 * text in it asks before discarding it ("Discard your reply?", a small question inside the form,
 * focus on the harmless "Keep writing"), and closes the box at once when nothing is typed (the
 * form's own Escape). Escape while the question shows keeps writing.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useNotify } from '../shared.js';

export function FormKeys({ form, edit }: { form: HTMLFormElement; edit: boolean }) {
  const { t } = useNotify();
  const [asking, setAsking] = useState(false);
  const askingNow = useRef(false);
  askingNow.current = asking;
  const panel = useRef<HTMLDivElement>(null);
  const promptId = useId();

  const field = () => form.querySelector('textarea');
  const keepWriting = () => {
    setAsking(false);
    const textarea = field();
    if (textarea) textarea.focus();
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing) {
        event.preventDefault();
        // As pressing the submit button: the form's own handler posts (or ignores a repeat).
        const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
        if (submit) submit.click();
        return;
      }
      if (event.key !== 'Escape' || edit) return;
      const textarea = field();
      // The @mention suggestions close first, on their own.
      if (!textarea || textarea.getAttribute('aria-expanded') === 'true') return;
      if (askingNow.current) {
        event.stopPropagation();
        keepWriting();
      } else if (textarea.value.trim() && form.querySelector('[data-cancel]')) {
        // The form's own Escape (which closes it) is not reached.
        event.stopPropagation();
        setAsking(true);
      }
    };
    form.addEventListener('keydown', onKey, true);
    return () => form.removeEventListener('keydown', onKey, true);
  }, [form]);

  useEffect(() => {
    const keep = panel.current && panel.current.querySelector<HTMLElement>('[data-keep]');
    if (asking && keep) keep.focus();
  }, [asking]);

  if (!asking) return null;
  return (
    <div ref={panel} class="panel discard" role="group" aria-labelledby={promptId}>
      <p id={promptId}>{t.discardPrompt}</p>
      <div class="buttons">
        <button
          type="button"
          class="primary"
          onClick={() => {
            setAsking(false);
            const cancel = form.querySelector<HTMLElement>('[data-cancel]');
            if (cancel) cancel.click();
          }}
        >
          {t.discard}
        </button>
        <button type="button" data-keep onClick={keepWriting}>
          {t.keepWriting}
        </button>
      </div>
    </div>
  );
}
