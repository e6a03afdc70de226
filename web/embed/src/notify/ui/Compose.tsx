/**
 * What a comment form (CommentForm.tsx) has beside its text, working with its textarea through the
 * DOM: @mention suggestions, and in the forms for a new comment or a reply, the offer to be emailed.
 *
 * Suggestions make the textarea an autocompleting textbox (aria-autocomplete="list", the listbox
 * in aria-controls, the active name in aria-activedescendant; ARIA in HTML, which axe-core checks,
 * allows a textarea neither the combobox role nor so aria-expanded): typing "@" and a letter or
 * more asks the story's readers for names that begin so (GET /stories/:id/mentions, after a pause in the
 * typing); the listbox below the field opens with the first name active; the arrow keys move
 * through it, Enter or Tab puts "@Name " in place of what was typed, Escape closes it (and the form
 * stays open). A prefix that found nobody is not asked about again, nor is anything longer.
 *
 * The offer (see Offer in ../shared.ts): "Email me when someone replies", never ticked for the
 * reader, made while their mail is off and until they first post from a form that made it.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useStoreValue } from '../../state/use-store-value.js';
import { insertMention, mentionAt } from '../mentions.js';
import type { Mention } from '../mentions.js';
import { SETTINGS } from '../settings.js';
import { OFFER, SESSION, offered, useNotify } from '../shared.js';

const ASK_AFTER_MS = 200;

export function Compose({ form, edit }: { form: HTMLFormElement; edit: boolean }) {
  const field = form.querySelector('textarea');
  return (
    <>
      {field && <Mentions field={field} />}
      {!edit && <EmailOffer form={form} />}
    </>
  );
}

function EmailOffer({ form }: { form: HTMLFormElement }) {
  const { t, host, settings, offer } = useNotify();
  const { session } = host;
  const user = useStoreValue(session, SESSION, () => session.user);
  const value = useStoreValue(settings, SETTINGS, () => settings.value);
  const made = useStoreValue(offer, OFFER, () => !!user && offer.madeTo(user.id));
  const [ticked, setTicked] = useState(false);
  const hintId = useId();

  useEffect(() => {
    if (user && !made) settings.load().catch(() => undefined);
  }, [user && user.id]);

  if (!user || made || !value || !offered(value.email)) return null;
  offer.madeIn.add(form);
  const unconfirmed = !value.emailConfirmed || value.bounced;
  return (
    <div class="offer">
      <label class="choice">
        <input
          type="checkbox"
          name="emailReplies"
          checked={ticked}
          aria-describedby={unconfirmed ? hintId : undefined}
          onChange={(event) => {
            const { checked } = event.currentTarget;
            setTicked(checked);
            if (checked) offer.ticked.add(form);
            else offer.ticked.delete(form);
          }}
        />
        {t.optIn}
      </label>
      {unconfirmed && (
        <p id={hintId} class="hint">
          {t.unconfirmed}
        </p>
      )}
    </div>
  );
}

interface Typing {
  mention: Mention | null;
  /** Where the "@" was of a mention completed or dismissed: not suggested again. */
  done: number;
  timer: number;
  asked: number;
  /** Prefixes that found nobody. */
  dead: string[];
}

function Mentions({ field }: { field: HTMLTextAreaElement }) {
  const { t, host, api } = useNotify();
  const [names, setNames] = useState<readonly string[]>([]);
  const [active, setActive] = useState(0);
  const listId = useId();
  const typing = useRef<Typing>({ mention: null, done: -1, timer: 0, asked: 0, dead: [] });
  const latest = useRef({ names, active });
  latest.current = { names, active };
  const optionId = (index: number) => `${listId}-${index}`;
  const open = names.length > 0;

  const close = () => {
    typing.current.asked += 1;
    clearTimeout(typing.current.timer);
    setNames([]);
  };

  const choose = (name: string) => {
    const { mention } = typing.current;
    if (!mention) return;
    const next = insertMention(field.value, mention, name);
    typing.current.done = mention.start;
    close();
    field.value = next.text;
    field.setSelectionRange(next.caret, next.caret);
    // The form's own state follows the field through its input event.
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.focus();
  };

  const ask = (mention: Mention) => {
    const state = typing.current;
    const story = host.store.story;
    const query = mention.query.toLowerCase();
    if (!story || state.dead.some((prefix) => query.startsWith(prefix))) return close();
    const asked = ++state.asked;
    clearTimeout(state.timer);
    state.timer = window.setTimeout(() => {
      api.mentions(story.id, mention.query).then(
        ({ names: found }) => {
          if (asked !== typing.current.asked) return;
          if (found.length === 0) typing.current.dead.push(query);
          setNames(found.slice(0, 8));
          setActive(0);
          if (found.length) host.announcer.announce(t.mentionCount(Math.min(found.length, 8)));
        },
        () => undefined,
      );
    }, ASK_AFTER_MS);
  };

  useEffect(() => {
    const follow = () => {
      const state = typing.current;
      const caret = field.selectionStart === field.selectionEnd ? field.selectionStart : -1;
      const mention = caret >= 0 ? mentionAt(field.value, caret) : null;
      if (state.done >= 0 && (!mention || mention.start !== state.done)) state.done = -1;
      state.mention = mention;
      if (!mention || mention.start === state.done) close();
      else ask(mention);
    };
    const onKey = (event: KeyboardEvent) => {
      const { names: shown, active: current } = latest.current;
      if (shown.length === 0) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const step = event.key === 'ArrowDown' ? 1 : shown.length - 1;
        setActive((current + step) % shown.length);
      } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
        choose(shown[current] as string);
      } else if (event.key === 'Escape') {
        typing.current.done = typing.current.mention ? typing.current.mention.start : -1;
        close();
        // Closes the suggestions only, not the form.
        event.stopPropagation();
      } else return;
      event.preventDefault();
    };
    const onMove = (event: KeyboardEvent) => {
      if (/^(Arrow(Left|Right)|Home|End)$/.test(event.key)) follow();
    };
    field.addEventListener('input', follow);
    field.addEventListener('click', follow);
    field.addEventListener('keydown', onKey);
    field.addEventListener('keyup', onMove);
    field.addEventListener('blur', close);
    field.setAttribute('aria-autocomplete', 'list');
    field.setAttribute('aria-controls', listId);
    return () => {
      field.removeEventListener('input', follow);
      field.removeEventListener('click', follow);
      field.removeEventListener('keydown', onKey);
      field.removeEventListener('keyup', onMove);
      field.removeEventListener('blur', close);
      clearTimeout(typing.current.timer);
      for (const name of ['aria-autocomplete', 'aria-controls', 'aria-activedescendant'])
        field.removeAttribute(name);
    };
  }, [field]);

  useEffect(() => {
    if (open) field.setAttribute('aria-activedescendant', optionId(active));
    else field.removeAttribute('aria-activedescendant');
  }, [open, active]);

  return (
    <div class="mentions">
      <ul id={listId} role="listbox" aria-label={t.mentionsLabel} hidden={!open}>
        {names.map((name, index) => (
          <li
            key={name}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            dir="auto"
            // Keeps focus (and the caret) in the field.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(name)}
          >
            {name}
          </li>
        ))}
      </ul>
    </div>
  );
}
