/**
 * The bell's list, below the account bar (in the flow of the widget, so that no publisher's layout
 * can clip it): the reader's notifications, newest first, each saying what happened, then "Mark all
 * read" and the settings (ui/SettingsForm.tsx). Opening it moves focus to its heading and reads the
 * notifications again; Escape (or Close) closes it and gives focus back to the bell. A notification
 * counts as read once at least half of it has been on screen in the open list; it stays marked new
 * until the list closes. Choosing one of this story opens its comment (linked.ts); one of another
 * article is a link to that comment there.
 */
import type { ComponentChild } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { NotificationItem } from '../../api/types.js';
import { formatFull, formatRelative } from '../../ui/format-time.js';
import { useStoreValue } from '../../state/use-store-value.js';
import { INBOX } from '../inbox.js';
import { PANEL, useNotify } from '../shared.js';
import { fill, permalink, reasonLabel } from '../words.js';
import { BELL_ID, PANEL_ID } from './Bell.js';
import { ErrorText, focusLater, useTask } from './common.js';
import { IgnoreList } from './IgnoreControl.js';
import { SettingsForm } from './SettingsForm.js';

const TITLE_ID = 'parley-inbox-title';

export function InboxPanel() {
  const { t, inbox, panel, root } = useNotify();
  const open = useStoreValue(panel, PANEL, () => panel.open);
  const view = useStoreValue(panel, PANEL, () => panel.view);
  const load = useTask();

  useEffect(() => {
    if (!open) return inbox.settle();
    focusLater(root, `#${TITLE_ID}`);
    void load.run(() => inbox.refresh());
    return undefined;
  }, [open]);
  useEffect(() => {
    if (open) focusLater(root, `#${TITLE_ID}`);
  }, [view]);

  if (!open) return null;
  const close = () => {
    panel.close();
    root.querySelector<HTMLElement>(`#${BELL_ID}`)?.focus();
  };
  const settings = view === 'settings';
  return (
    <section
      id={PANEL_ID}
      class="inbox"
      aria-labelledby={TITLE_ID}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        close();
      }}
    >
      <div class="inbox-head">
        <h3 id={TITLE_ID} tabIndex={-1}>
          {settings ? t.settingsTitle : t.notifications}
        </h3>
        <div class="buttons">
          {!settings && <MarkAllRead />}
          <button type="button" onClick={() => panel.show(settings ? 'list' : 'settings')}>
            {settings ? t.backToList : t.settings}
          </button>
          <button type="button" class="close" aria-label={t.close} onClick={close}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      </div>
      {settings ? (
        <>
          <SettingsForm />
          <IgnoreList />
        </>
      ) : (
        <NotificationList loading={load.busy} error={load.error} />
      )}
    </section>
  );
}

function MarkAllRead() {
  const { t, inbox } = useNotify();
  const unread = useStoreValue(inbox, INBOX, () => inbox.state.unread);
  const task = useTask();
  return (
    <>
      <button
        type="button"
        aria-disabled={unread === 0 || task.busy || undefined}
        onClick={() => unread > 0 && task.run(() => inbox.markAllRead())}
      >
        {t.markAllRead}
      </button>
      <ErrorText message={task.error} />
    </>
  );
}

function NotificationList({ loading, error }: { loading: boolean; error: string | null }) {
  const { t, inbox } = useNotify();
  const state = useStoreValue(inbox, INBOX, () => inbox.state);
  const list = useRef<HTMLOListElement>(null);
  const older = useTask();

  // Read once seen: at least half of the notification on screen while the list is open.
  useEffect(() => {
    const element = list.current;
    if (!element) return undefined;
    const unseen = Array.from(element.querySelectorAll<HTMLElement>('[data-unread]'));
    const idOf = (target: Element) => (target as HTMLElement).dataset.notificationId || '';
    const read = (targets: Element[]) => {
      const ids = targets.map(idOf).filter((id) => id);
      if (ids.length) inbox.markRead(ids).catch(() => undefined);
    };
    if (typeof IntersectionObserver !== 'function') {
      read(unseen);
      return undefined;
    }
    const observer = new IntersectionObserver(
      (entries) => read(entries.filter((entry) => entry.isIntersecting).map((e) => e.target)),
      { threshold: 0.5 },
    );
    unseen.forEach((item) => observer.observe(item));
    return () => observer.disconnect();
  }, [state.items]);

  if (!state.loaded) {
    return error ? <ErrorText message={error} /> : <p class="note">{loading && t.loading}</p>;
  }
  return (
    <>
      <ErrorText message={error} />
      {state.items.length === 0 ? (
        <p class="note">{t.empty}</p>
      ) : (
        <ol ref={list} class="inbox-list">
          {state.items.map((item) => (
            <Entry key={item.id} item={item} fresh={inbox.isNew(item)} />
          ))}
        </ol>
      )}
      <ErrorText message={older.error} />
      {state.nextCursor && (
        <button
          type="button"
          class="link"
          aria-disabled={older.busy || undefined}
          onClick={() => older.run(() => inbox.more())}
        >
          {t.older}
        </button>
      )}
    </>
  );
}

function Entry({ item, fresh }: { item: NotificationItem; fresh: boolean }) {
  const { t, host, inbox, panel, linked } = useNotify();
  const here = item.storyId === (host.store.story && host.store.story.id);
  const date = new Date(item.createdAt);
  const { rejection } = item;
  const content: ComponentChild = (
    <>
      <span class="what">
        {fresh && <span class="vh">{t.unread} </span>}
        {fill<ComponentChild>(t.what[item.kind] || t.what.reply, {
          name: <bdi>{item.actorName || t.someone}</bdi>,
        })}
      </span>
      {item.kind === 'rejected' && rejection && (
        <span class="why">
          {t.reason} <strong>{reasonLabel(rejection.code, host.t.reasons)}</strong>
          {rejection.note && (
            <>
              {' '}
              <q dir="auto">{rejection.note}</q>
            </>
          )}
        </span>
      )}
      {item.kind === 'appeal' && item.appeal && (
        // How the author's appeal was decided (docs/dsa.md), with the moderator's words as text.
        <span class="why">
          {item.appeal.outcome === 'reversed' ? t.appealReversed : t.appealUpheld}
          {item.appeal.note && (
            <>
              {' '}
              {t.appealWhy} <q dir="auto">{item.appeal.note}</q>
            </>
          )}
        </span>
      )}
      {!here && (
        <span class="where">
          {fill<ComponentChild>(t.onStory, {
            title: <cite dir="auto">{item.storyTitle || t.anotherStory}</cite>,
          })}
        </span>
      )}
      {item.excerpt && (
        <span class="excerpt" dir="auto">
          {item.excerpt}
        </span>
      )}
      <time dateTime={item.createdAt} title={formatFull(date, host.locale)}>
        {formatRelative(date, host.locale)}
      </time>
    </>
  );
  const open = () => {
    panel.close();
    inbox.markRead([item.id]).catch(() => undefined);
    void linked.open(item.commentId);
  };
  return (
    <li
      class={fresh ? 'is-new' : undefined}
      data-notification-id={item.id}
      data-unread={item.readAt === null || undefined}
    >
      {here ? (
        <button type="button" class="entry" onClick={open}>
          {content}
        </button>
      ) : (
        <a class="entry" href={permalink(item)}>
          {content}
        </a>
      )}
    </li>
  );
}
