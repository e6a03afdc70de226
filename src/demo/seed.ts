/**
 * The demo newsroom: a site for Parley's own origin, the demo story and, on first start, its
 * discussion (demoDiscussion), so that `npm start` shows a living comment section.
 */
import { renderCommentHtml } from '../domain/markdown.ts';
import { placeReply } from '../domain/thread.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/db.ts';
import { insertComment, setReaction } from '../store/comments.ts';
import type { Site } from '../store/rows.ts';
import { insertSite, listSites, updateSite } from '../store/sites.ts';
import { findOrInsertStory, setStoryMetadata } from '../store/stories.ts';
import { findUserByEmail, insertUser } from '../store/users.ts';
import { demoDiscussion, demoStory, demoUsers, type DemoComment } from './discussion.ts';

export const DEMO_SITE_NAME = 'Demo newsroom';

/** The origins a browser may show the demo from: the public URL, and localhost/127.0.0.1 twins. */
export function demoOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const origins = new Set([url.origin]);
  if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') {
    for (const host of ['localhost', '127.0.0.1']) {
      origins.add(new URL(`${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`).origin);
    }
  }
  return [...origins];
}

async function ensureDemoSite(store: Store, config: Config): Promise<Site> {
  const origins = demoOrigins(config.publicUrl);
  const existing = (await listSites(store.db)).find((s) => s.name === DEMO_SITE_NAME);
  if (!existing) {
    return insertSite(store.db, {
      name: DEMO_SITE_NAME,
      allowedOrigins: origins,
      editWindowSeconds: config.editWindowSeconds,
      maxDepth: config.maxDepth,
    });
  }
  const missing = origins.filter((o) => !existing.allowedOrigins.includes(o));
  if (missing.length === 0) return existing;
  return (await updateSite(store.db, existing.id, {
    allowedOrigins: [...existing.allowedOrigins, ...missing],
  })) as Site;
}

/** Creates the demo site and story; seeds the discussion the first time. Returns comments added. */
export async function seedDemo(store: Store, config: Config): Promise<number> {
  const site = await ensureDemoSite(store, config);
  const { story, created } = await findOrInsertStory(store.db, site.id, {
    externalId: demoStory.externalId,
    url: `${config.publicUrl}/`,
  });
  if (!created) return 0;
  await setStoryMetadata(store.db, story.id, {
    title: demoStory.title,
    author: demoStory.author,
    description: demoStory.description,
    imageUrl: null,
    publishedAt: demoStory.publishedAt,
  });

  const userIds = new Map<string, string>();
  for (const user of demoUsers) {
    const email = `${user.key}@demo.parley.invalid`;
    const stored =
      (await findUserByEmail(store.db, email)) ??
      (await insertUser(store.db, {
        email,
        displayName: user.displayName,
        passwordHash: null,
        role: user.role ?? 'commenter',
      }));
    if (stored) userIds.set(user.key, stored.id);
  }
  const userId = (key: string): string => {
    const id = userIds.get(key);
    if (!id) throw new Error(`demo discussion names unknown user "${key}"`);
    return id;
  };

  const published = Date.parse(demoStory.publishedAt);
  let count = 0;
  async function add(
    comment: DemoComment,
    parent: { id: string; depth: number; threadParentId: string | null } | null,
  ): Promise<void> {
    const placement = parent
      ? placeReply(parent, site.maxDepth)
      : { threadParentId: null, depth: 0 };
    const stored = await insertComment(store.db, {
      siteId: site.id,
      storyId: story.id,
      parentId: parent?.id ?? null,
      threadParentId: placement.threadParentId,
      depth: placement.depth,
      authorId: userId(comment.author),
      body: comment.body,
      html: renderCommentHtml(comment.body),
      status: 'approved',
      createdAt: new Date(published + comment.minutesAfterPublish * 60_000),
    });
    if (!stored) throw new Error('A demo comment could not be stored: its parent is missing.');
    count++;
    for (const key of comment.reactedBy) await setReaction(store.db, stored.id, userId(key), true);
    for (const reply of comment.replies ?? []) await add(reply, stored);
  }
  for (const comment of demoDiscussion) await add(comment, null);
  return count;
}
