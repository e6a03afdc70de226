/**
 * The widget's notification features without a browser (web/embed/src/notify): the bell's list
 * (newest first, each notification once, the server's unread count, live events heard while the
 * list was being read, read marks kept as "new" until the list closes, nothing of a reader kept
 * after they sign out), the reader's settings, the @mention being typed and its replacement, the
 * words of every language (the same placeholders as English), a linked comment pinned in the
 * thread store whatever page its thread is on, and the features' files built per language.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { buildEmbed } from '../../scripts/build-web.ts';
import type {
  CommentData,
  NotificationItem,
  NotificationSettings,
  Story,
  ThreadPage,
} from '../../web/embed/src/api/types.ts';
import type { ApiClient } from '../../web/embed/src/api/client.ts';
import en from '../../web/embed/src/notify/i18n/en.ts';
import type { NotifyMessages } from '../../web/embed/src/notify/i18n/en.ts';
import { Inbox } from '../../web/embed/src/notify/inbox.ts';
import type { InboxApi } from '../../web/embed/src/notify/inbox.ts';
import { insertMention, mentionAt } from '../../web/embed/src/notify/mentions.ts';
import { SettingsStore } from '../../web/embed/src/notify/settings.ts';
import { fill, permalink, reasonLabel, sentence } from '../../web/embed/src/notify/words.ts';
import { createThreadActions } from '../../web/embed/src/state/thread-actions.ts';
import { ROOT, ThreadStore } from '../../web/embed/src/state/thread-store.ts';

/** The story of the thread pages below, as GET /stories/:id answers it. */
const STORY: Story = {
  id: 's',
  siteId: 'site',
  externalId: null,
  url: 'https://news.example/s',
  title: null,
  author: null,
  description: null,
  publishedAt: null,
  imageUrl: null,
  commentCount: 40,
  closed: false,
  mode: 'comments',
};

let serial = 0;
/** A notification; ids grow with time, as the server's do. */
function notification(overrides: Partial<NotificationItem> = {}): NotificationItem {
  serial += 1;
  return {
    id: `01N${String(serial).padStart(6, '0')}`,
    kind: 'reply',
    siteId: 'site',
    storyId: 'story',
    storyTitle: 'A story',
    storyUrl: 'https://news.example/story',
    commentId: `c${serial}`,
    actorName: 'Amal',
    excerpt: 'Hello',
    rejection: null,
    createdAt: '2026-11-28T12:00:00.000Z',
    readAt: null,
    ...overrides,
  };
}

/** The server's side of the list, in memory: pages of `size`, newest first. */
function server(items: NotificationItem[], size = 2) {
  const calls: string[] = [];
  const unread = () => items.filter((item) => !item.readAt).length;
  let hold: Promise<void> | null = null;
  const api: InboxApi = {
    list: async (cursor) => {
      calls.push(`list ${cursor ?? ''}`);
      if (hold) await hold;
      const sorted = [...items].sort((a, b) => (a.id < b.id ? 1 : -1));
      const start = cursor ? sorted.findIndex((item) => item.id < cursor) : 0;
      const page = start < 0 ? [] : sorted.slice(start, start + size);
      const last = page[page.length - 1];
      const more = last && sorted.some((item) => item.id < last.id);
      return { items: page, unread: unread(), nextCursor: more ? last.id : null };
    },
    read: async (body) => {
      calls.push(`read ${JSON.stringify(body)}`);
      const now = new Date().toISOString();
      items.forEach((item, index) => {
        if (!item.readAt && ('all' in body || body.ids.includes(item.id)))
          items[index] = { ...item, readAt: now };
      });
      return { unread: unread() };
    },
  };
  return {
    api,
    calls,
    items,
    /** Holds list answers until the returned function is called. */
    holdLists: () => {
      let release = () => undefined as void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

describe('the bell’s list (Inbox)', () => {
  it('reads the newest first with the unread count, and older pages after', async () => {
    const [one, two, three] = [notification(), notification({ readAt: 'x' }), notification()];
    const remote = server([one!, two!, three!]);
    const inbox = new Inbox(remote.api, () => undefined);
    let heard = 0;
    inbox.subscribe('inbox', () => heard++);
    await inbox.refresh();
    assert.deepEqual(
      inbox.state.items.map((item) => item.id),
      [three!.id, two!.id],
    );
    assert.equal(inbox.state.unread, 2);
    assert.equal(inbox.state.loaded, true);
    assert.ok(heard > 0);
    await inbox.more();
    assert.deepEqual(
      inbox.state.items.map((item) => item.id),
      [three!.id, two!.id, one!.id],
    );
    assert.equal(inbox.state.nextCursor, null);
  });

  it('adds a live notification once, takes its count and announces it once', async () => {
    const remote = server([notification()]);
    const announced: string[] = [];
    const inbox = new Inbox(remote.api, (item) => announced.push(item.id));
    await inbox.refresh();
    const fresh = notification();
    inbox.receive({ notification: fresh, unread: 2 });
    inbox.receive({ notification: fresh, unread: 2 });
    assert.equal(inbox.state.items[0]!.id, fresh.id, 'first: the newest');
    assert.equal(inbox.state.items.length, 2, 'once');
    assert.equal(inbox.state.unread, 2);
    assert.deepEqual(announced, [fresh.id], 'announced once');
    // Something that is not a notification changes nothing.
    inbox.receive({ notification: null as unknown as NotificationItem, unread: 9 });
    assert.equal(inbox.state.unread, 2);
  });

  it('keeps what arrived live while the first page was on its way', async () => {
    const older = notification();
    const remote = server([older]);
    const inbox = new Inbox(remote.api, () => undefined);
    const release = remote.holdLists();
    const reading = inbox.refresh();
    const fresh = notification();
    inbox.receive({ notification: fresh, unread: 2 });
    release();
    await reading;
    assert.deepEqual(
      inbox.state.items.map((item) => item.id),
      [fresh.id, older.id],
    );
    assert.equal(inbox.state.unread, 2, 'the live count, newer than the page');
  });

  it('marks read what was seen, shown as new until the list closes; mark all read', async () => {
    const items = [notification(), notification(), notification()];
    const remote = server(items, 10);
    const inbox = new Inbox(remote.api, () => undefined);
    await inbox.refresh();
    const seen = inbox.state.items[0]!;
    await inbox.markRead([seen.id]);
    assert.equal(inbox.state.unread, 2);
    const now = inbox.state.items[0]!;
    assert.ok(now.readAt, 'read');
    assert.equal(inbox.isNew(now), true, 'still new while the list is open');
    inbox.settle();
    assert.equal(inbox.isNew(inbox.state.items[0]!), false);
    // Already read: not sent again.
    const before = remote.calls.length;
    await inbox.markRead([seen.id]);
    assert.equal(remote.calls.length, before);
    await inbox.markAllRead();
    assert.equal(inbox.state.unread, 0);
    assert.ok(inbox.state.items.every((item) => item.readAt));
    assert.equal(remote.calls.at(-1), 'read {"all":true}');
  });

  it('reads the notifications of a comment the reader landed on, now or once listed', async () => {
    const target = notification({ commentId: 'landed' });
    const remote = server([notification(), target], 10);
    const inbox = new Inbox(remote.api, () => undefined);
    await inbox.landed('landed');
    assert.deepEqual(remote.calls, [], 'nothing to read before the list is known');
    await inbox.refresh();
    assert.equal(remote.calls.at(-1), `read {"ids":["${target.id}"]}`);
    assert.equal(inbox.state.unread, 1);
  });

  it('forgets everything of a reader who signs out, and answers that come after', async () => {
    const remote = server([notification()]);
    const inbox = new Inbox(remote.api, () => undefined);
    const release = remote.holdLists();
    const reading = inbox.refresh();
    inbox.clear();
    release();
    await reading;
    assert.deepEqual(inbox.state, { items: [], unread: 0, nextCursor: null, loaded: false });
  });
});

describe('the reader’s settings', () => {
  const settings: NotificationSettings = {
    email: 'off',
    kinds: { reply: true, staff: true, mention: true, moderation: true, featured: true },
    emailConfirmed: false,
    bounced: false,
  };

  it('are read once, replaced by the answer to a change, forgotten on sign-out', async () => {
    let gets = 0;
    const store = new SettingsStore({
      get: async () => {
        gets++;
        return settings;
      },
      put: async (change) => ({ ...settings, ...change }),
    });
    await Promise.all([store.load(), store.load()]);
    assert.equal(gets, 1);
    await store.load(true);
    assert.equal(gets, 2, 'afresh when asked (changed on Your account, maybe)');
    const saved = await store.save({ email: 'daily' });
    assert.equal(saved.email, 'daily');
    assert.equal(store.value?.email, 'daily');
    store.clear();
    assert.equal(store.value, null);
    await store.load();
    assert.equal(gets, 3);
  });

  it('are asked for again after a failure', async () => {
    let fail = true;
    const store = new SettingsStore({
      get: async () => {
        if (fail) throw new Error('offline');
        return settings;
      },
      put: async () => settings,
    });
    await assert.rejects(store.load());
    fail = false;
    assert.equal((await store.load()).email, 'off');
  });
});

describe('@mentions', () => {
  it('finds the name being typed after "@", not in an address or past the name', () => {
    assert.deepEqual(mentionAt('Thanks @Om', 10), { start: 7, query: 'Om' });
    assert.deepEqual(mentionAt('@Omar Kh', 8), { start: 0, query: 'Omar Kh' });
    assert.deepEqual(mentionAt('(@رانيا', 7), { start: 1, query: 'رانيا' });
    assert.equal(mentionAt('mail me@example', 15), null, 'an address');
    assert.equal(mentionAt('Thanks @', 8), null, 'no letter yet');
    assert.equal(mentionAt('Thanks @Omar ', 13), null, 'a finished name');
    assert.equal(mentionAt('@a b c d', 8), null, 'a sentence, not a name');
    assert.equal(mentionAt('@Omar\nnext', 10), null, 'another line');
    assert.deepEqual(mentionAt('@Om and more', 3), { start: 0, query: 'Om' }, 'at the caret');
  });

  it('puts "@Name " in place of what was typed, the caret after it', () => {
    const text = 'Thanks @Om, really';
    const mention = mentionAt(text, 10)!;
    assert.deepEqual(insertMention(text, mention, 'Omar Khalidi'), {
      text: 'Thanks @Omar Khalidi , really',
      caret: 21,
    });
    assert.deepEqual(insertMention('@Om more', mentionAt('@Om more', 3)!, 'Omar'), {
      text: '@Omar more',
      caret: 6,
    });
  });
});

describe('what notifications say', () => {
  it('fills templates with text or elements, in the order of the language', () => {
    assert.deepEqual(fill('{name} replied', { name: 1 }), [1, ' replied']);
    assert.deepEqual(fill('ردّ {name} على تعليقك', { name: 'X' }), ['ردّ ', 'X', ' على تعليقك']);
    assert.deepEqual(fill('{unknown} stays', {}), ['{unknown}', ' stays']);
    assert.equal(sentence(notification({ kind: 'mention' }), en), 'Amal mentioned you');
    assert.equal(
      sentence(notification({ kind: 'approved', actorName: 'Amal' }), en),
      'Your comment was approved and published',
    );
    assert.equal(reasonLabel('OFF_TOPIC', { off_topic: 'Off topic' }), 'Off topic');
    assert.equal(reasonLabel('NEW_CODE', {}), 'NEW_CODE');
    assert.equal(
      permalink({ storyUrl: 'https://news.example/a#top', commentId: '01ABC' }),
      'https://news.example/a#parley-comment-01ABC',
    );
  });

  it('has every language say each template with the same placeholders as English', async () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) || []).sort().join();
    const strings = (messages: NotifyMessages) =>
      Object.entries(messages).flatMap(([key, value]): [string, string][] =>
        typeof value === 'string'
          ? [[key, value]]
          : typeof value === 'object'
            ? Object.entries(value as Record<string, unknown>).map(([sub, text]) => [
                `${key}.${sub}`,
                // A count's words (the Q&A's, say) are said of 3.
                typeof text === 'function' ? (text as (n: number) => string)(3) : String(text),
              ])
            : [],
      );
    const english = new Map(strings(en));
    for (const lang of ['ar', 'he', 'zh', 'fr', 'es']) {
      const messages = (
        (await import(`../../web/embed/src/notify/i18n/${lang}.ts`)) as {
          default: NotifyMessages;
        }
      ).default;
      const translated = strings(messages);
      assert.equal(translated.length, english.size, lang);
      for (const [key, text] of translated) {
        assert.equal(placeholders(text), placeholders(english.get(key)!), `${lang} ${key}`);
        assert.notEqual(text, '', `${lang} ${key}`);
      }
      for (const n of [0, 1, 2, 3, 11, 100]) assert.ok(messages.bell(n).length > 0);
      assert.notEqual(messages.bell(3), en.bell(3), `${lang} translates the bell`);
    }
    assert.equal(en.bell(0), 'Notifications');
    assert.equal(en.bell(3), 'Notifications, 3 unread');
  });
});

describe('a linked comment in the thread store (pin)', () => {
  let made = 0;
  function comment(overrides: Partial<CommentData> = {}): CommentData {
    made += 1;
    return {
      id: `p${made}`,
      storyId: 's1',
      parentId: null,
      threadParentId: null,
      replyToName: null,
      depth: 0,
      author: { id: 'u', displayName: 'U', role: 'commenter', avatarUrl: null, badges: [] },
      html: '<p>x</p>',
      status: 'approved',
      deleted: false,
      createdAt: '2026-11-28T12:00:00.000Z',
      editedAt: null,
      editableUntil: null,
      replyCount: 0,
      reactionCount: 0,
      featured: false,
      viewer: { reacted: false, reported: false, own: false },
      ...overrides,
    };
  }

  function loaded(comments: ThreadPage['comments']) {
    const store = new ThreadStore();
    store.reset(
      {
        story: STORY,
        comments,
        nextCursor: 'page-2',
        pending: [],
      },
      'newest',
    );
    return store;
  }

  it('shows a thread that is on a later page first, with the way down to the comment', () => {
    const onPage = comment();
    const store = loaded([{ ...onPage, replies: [], repliesCursor: null }]);
    const root = comment({ replyCount: 3 });
    const middle = comment({ parentId: root.id, threadParentId: root.id, depth: 1, replyCount: 2 });
    const target = comment({ parentId: middle.id, threadParentId: middle.id, depth: 2 });
    let rootChanges = 0;
    store.subscribe(ROOT, () => rootChanges++);
    store.pin([root, middle, target]);
    assert.deepEqual(store.root.ids, [root.id, onPage.id]);
    assert.ok(rootChanges > 0);
    assert.deepEqual(store.entry(root.id)!.childIds, [middle.id]);
    assert.deepEqual(store.entry(middle.id)!.childIds, [target.id]);
    // Their other replies are offered from the first page; nothing was counted.
    assert.equal(store.entry(root.id)!.repliesCursor, '');
    assert.equal(store.entry(target.id)!.repliesCursor, null);
    assert.equal(store.entry(root.id)!.comment.replyCount, 3);
    assert.equal(store.story!.commentCount, 40);

    // Kept through a reload; the later page that holds the root does not show it twice.
    store.reset(
      {
        story: STORY,
        comments: [{ ...onPage, replies: [], repliesCursor: null }],
        nextCursor: 'page-2',
        pending: [],
      },
      'newest',
    );
    assert.deepEqual(store.root.ids, [root.id, onPage.id]);
    assert.deepEqual(
      store.appendPage(
        [
          { ...root, replies: [], repliesCursor: null },
          { ...comment(), repliesCursor: null },
        ],
        null,
      ).length,
      1,
    );
    assert.equal(store.root.ids.filter((id) => id === root.id).length, 1);
    store.pin([]);
    store.reset(
      {
        story: STORY,
        comments: [],
        nextCursor: null,
        pending: [],
      },
      'newest',
    );
    assert.deepEqual(store.root.ids, [], 'unpinned: gone after a reload');
  });

  it('adds only what is missing under a thread that is loaded', () => {
    const root = comment({ replyCount: 5 });
    const shown = comment({ parentId: root.id, threadParentId: root.id, depth: 1 });
    const store = loaded([
      { ...root, replies: [{ ...shown, repliesCursor: null }], repliesCursor: 'more' },
    ]);
    const target = comment({ parentId: root.id, threadParentId: root.id, depth: 1 });
    store.pin([root, target]);
    assert.deepEqual(store.root.ids, [root.id]);
    assert.deepEqual(store.entry(root.id)!.childIds, [shown.id, target.id]);
    assert.equal(store.entry(root.id)!.repliesCursor, 'more', 'the next page stays the next');
  });

  it('loads the first page of replies for an empty cursor, without showing one twice', async () => {
    const root = comment({ replyCount: 2 });
    const target = comment({ parentId: root.id, threadParentId: root.id, depth: 1 });
    const other = comment({ parentId: root.id, threadParentId: root.id, depth: 1 });
    const store = loaded([]);
    store.pin([root, target]);
    const asked: (string | undefined)[] = [];
    const api = {
      listReplies: async (_id: string, cursor: string) => {
        asked.push(cursor);
        return { comments: [target, other], nextCursor: null };
      },
    } as unknown as ApiClient;
    const added = await createThreadActions(api, store).loadReplies(root.id);
    assert.deepEqual(asked, ['']);
    assert.deepEqual(added, [other.id]);
    assert.deepEqual(store.entry(root.id)!.childIds, [target.id, other.id]);
    assert.equal(store.entry(root.id)!.repliesCursor, null);
  });
});

describe('the notification features’ files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-notify-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are built per language beside embed.js, which names their version', async () => {
    const result = await buildEmbed({ outDir: dir });
    assert.deepEqual(
      result.notify.map((file) => file.lang),
      ['en', 'ar', 'he', 'zh', 'fr', 'es'],
    );
    const names = fs.readdirSync(path.join(dir, 'notify')).sort();
    const version = /^ar\.([0-9a-f]+)\.js$/.exec(names[0]!)?.[1];
    assert.ok(version, names[0]);
    assert.ok(fs.readFileSync(result.file, 'utf8').includes(`.${version}.js`));
    for (const file of result.notify) {
      const text = fs.readFileSync(file.file, 'utf8');
      assert.match(text, /export\s*\{/, `${file.lang}: an ES module`);
      const own = (await import(`../../web/embed/src/notify/i18n/${file.lang}.ts`)) as {
        default: NotifyMessages;
      };
      assert.ok(text.includes(own.default.optIn), `${file.lang}: its own words`);
      if (file.lang !== 'en') assert.ok(!text.includes(en.optIn), `${file.lang}: not English`);
      // Loaded as a module, it exports what embed.js calls.
      const copy = path.join(dir, `${file.lang}.mjs`);
      fs.copyFileSync(file.file, copy);
      const loaded = (await import(pathToFileURL(copy).href)) as {
        default: { mount: unknown };
      };
      assert.equal(typeof loaded.default.mount, 'function');
    }
    assert.ok(result.withinBudget, 'embed.js stays within its first-paint budget');
  });
});
