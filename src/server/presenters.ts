/**
 * The JSON shapes of the API, built from records: the one place that decides what a client sees
 * (deleted comments lose their author and text; only authors see their own source and edit window).
 */
import {
  identityOf,
  pendingWarning,
  type CommentRecord,
  type Site,
  type Story,
  type User,
} from '../store/rows.ts';
import { storyIsClosed } from '../domain/moderation/phases/story-closed.ts';
import {
  noMarks,
  unopenedRepliesCursor,
  type ThreadEntry,
  type ThreadPage,
  type ViewerMarks,
  type ViewerOverlay,
} from '../services/threads.ts';
import type { BrandJson, CommentJson, StoryJson, ThreadCommentJson } from './schemas.ts';
import type { ImportRunRow } from '../store/imports.ts';
import type { ImportReportJson, ImportRunJson } from './import-schemas.ts';
import { siteRecord } from '../services/sites.ts';

export function presentUser(user: User) {
  return { id: user.id, displayName: user.displayName, role: user.role };
}

/** The signed-in user as they see themselves: with their email and any warning to acknowledge. */
export function presentViewer(user: User) {
  const warning = pendingWarning(user);
  return {
    ...presentUser(user),
    email: user.email,
    warning: warning === null ? null : { message: warning },
    emailVerified: user.emailVerifiedAt !== null,
    avatarUrl: user.avatarUrl,
    badges: user.badges,
    identity: user.identity ?? identityOf(user.passwordHash, null),
    locale: user.locale,
    deletionDueAt: user.deletionDueAt,
  };
}

/** A site as the API shows it: its own fields, as the audit log keeps them. */
export const presentSite = siteRecord;

export function presentSiteSettings(site: Site) {
  return {
    id: site.id,
    name: site.name,
    editWindowSeconds: site.editWindowSeconds,
    maxDepth: site.maxDepth,
    locale: site.locale,
    defaultSort: site.defaultSort,
  };
}

/** The public part of a site's branding (GET /sites/{siteId}/brand, and on every story). */
export function presentBrand(site: Site): BrandJson {
  return {
    siteId: site.id,
    name: site.name,
    logoUrl: site.branding.logoUrl,
    accentColor: site.branding.accentColor,
    guidelinesUrl: site.branding.guidelinesUrl,
  };
}

/**
 * A story as readers see it; `closed` also when the site closes stories after some days, and the
 * publisher's brand whenever the site is known (always on the widget's routes).
 */
export function presentStory(story: Story, site?: Site): StoryJson {
  return {
    id: story.id,
    siteId: story.siteId,
    externalId: story.externalId,
    url: story.url,
    title: story.title,
    author: story.author,
    description: story.description,
    publishedAt: story.publishedAt,
    imageUrl: story.imageUrl,
    commentCount: story.commentCount,
    closed: site
      ? storyIsClosed(
          { closed: story.closed, openedAt: story.publishedAt ?? story.createdAt },
          site.moderation,
          new Date(),
        )
      : story.closed,
    ...(site && { brand: presentBrand(site) }),
    mode: story.mode,
    ...(story.mode === 'qa' && {
      qa: {
        open: story.qaOpen,
        experts: story.experts.map((expert) => ({
          id: expert.id,
          displayName: expert.displayName,
          avatarUrl: expert.avatarUrl,
          ...(expert.title !== null && { title: expert.title }),
        })),
      },
    }),
  };
}

export function editableUntil(
  comment: CommentRecord,
  editWindowSeconds: number,
  now = Date.now(),
): string | null {
  const until = Date.parse(comment.createdAt) + editWindowSeconds * 1000;
  return until > now ? new Date(until).toISOString() : null;
}

export function presentComment(
  comment: CommentRecord,
  viewer: User | null,
  editWindowSeconds: number,
  marks: ViewerMarks = noMarks,
): CommentJson {
  const deleted = comment.deletedAt !== null;
  const own = viewer !== null && viewer.id === comment.authorId;
  return {
    id: comment.id,
    storyId: comment.storyId,
    parentId: comment.parentId,
    threadParentId: comment.threadParentId,
    replyToName: comment.replyToName,
    depth: comment.depth,
    author: deleted
      ? null
      : {
          id: comment.authorId,
          displayName: comment.authorName,
          role: comment.authorRole,
          avatarUrl: comment.authorAvatarUrl ?? null,
          badges: comment.authorBadges ?? [],
        },
    html: deleted ? '' : comment.html,
    ...(own && !deleted && { body: comment.body }),
    status: deleted ? 'deleted' : comment.status,
    deleted,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    editableUntil: own && !deleted ? editableUntil(comment, editWindowSeconds) : null,
    replyCount: comment.replyCount,
    reactionCount: comment.reactionCount,
    featured: comment.featured,
    ...(own && comment.status === 'rejected' && { rejection: comment.rejection }),
    ...(own &&
      comment.status === 'pending' &&
      comment.heldFor && {
        held: { reasons: comment.heldFor },
      }),
    viewer: {
      reacted: marks.reacted.has(comment.id),
      reported: marks.reported.has(comment.id),
      own,
    },
  };
}

/** One entry of a thread page: a top-level comment with its first replies. */
export function presentThreadEntry(
  entry: ThreadEntry,
  overlay: ViewerOverlay,
  viewer: User | null,
  site: Site,
): ThreadCommentJson {
  const show = (c: CommentRecord) =>
    presentComment(c, viewer, site.editWindowSeconds, overlay.marks);
  return {
    ...show(entry.comment),
    replies: entry.replies.map((c) => ({ ...show(c), repliesCursor: unopenedRepliesCursor(c) })),
    repliesCursor: entry.repliesCursor,
    ...(entry.pinned && { pinned: true }),
  };
}

/** The viewer's own comments awaiting review or rejected, as the page's `pending`. */
export function presentPending(overlay: ViewerOverlay, viewer: User | null, site: Site) {
  return overlay.pending.map((c) =>
    presentComment(c, viewer, site.editWindowSeconds, overlay.marks),
  );
}

/** A Q&A answer: its author answers as the story's expert (or the site's staff). */
export function markExpert(comment: CommentJson): CommentJson {
  return comment.author ? { ...comment, author: { ...comment.author, expert: true } } : comment;
}

export function presentThreadPage(
  page: ThreadPage,
  overlay: ViewerOverlay,
  viewer: User | null,
  site: Site,
) {
  const comments: ThreadCommentJson[] = page.entries.map((entry) =>
    presentThreadEntry(entry, overlay, viewer, site),
  );
  return { comments, nextCursor: page.nextCursor, pending: presentPending(overlay, viewer, site) };
}

type Stored = Record<string, unknown>;
const record = (value: unknown): Stored =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Stored) : {};
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
function counts<K extends string>(value: unknown, keys: readonly K[]): Record<K, number> {
  const stored = record(value);
  return Object.fromEntries(keys.map((key) => [key, count(stored[key])])) as Record<K, number>;
}

/**
 * An import run with its report as stored (JSON written by the importer, whichever version of it
 * ran): anything missing reads as zero or empty, so an older report still serialises.
 */
export function presentImportRun(run: ImportRunRow): ImportRunJson {
  const stored = record(run.report);
  const skipped: ImportReportJson['skipped'] = {};
  for (const [reason, tally] of Object.entries(record(stored.skipped))) {
    const examples = Array.isArray(record(tally).examples)
      ? (record(tally).examples as unknown[]).map((example) => ({
          sourceId: String(record(example).sourceId ?? ''),
          detail: String(record(example).detail ?? ''),
        }))
      : [];
    skipped[reason] = { count: count(record(tally).count), examples };
  }
  const report: ImportReportJson = {
    runId: run.id,
    format: typeof stored.format === 'string' ? stored.format : run.format,
    file: typeof stored.file === 'string' ? stored.file : run.fileName,
    dryRun: stored.dryRun === true,
    state: run.state,
    progress: counts(stored.progress, ['bytesRead', 'totalBytes'] as const),
    read: counts(stored.read, ['stories', 'comments', 'items'] as const),
    stories: counts(stored.stories, ['created', 'matched', 'known'] as const),
    authors: counts(stored.authors, ['created', 'merged', 'known'] as const),
    comments: counts(stored.comments, [
      'imported',
      'unchanged',
      'approved',
      'pending',
      'rejected',
      'tombstones',
    ] as const),
    skipped,
    warnings: Array.isArray(stored.warnings) ? stored.warnings.map(String) : [],
    error: run.error ?? (typeof stored.error === 'string' ? stored.error : null),
    durationMs: count(stored.durationMs),
  };
  return {
    id: run.id,
    siteId: run.siteId,
    format: run.format,
    fileName: run.fileName,
    fileBytes: run.fileBytes,
    state: run.state,
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    heartbeatAt: run.heartbeatAt,
    error: run.error,
    report,
  };
}
