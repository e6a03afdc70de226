/**
 * Writing comments: posting (with its place in the thread), editing within the edit window and
 * deleting, each checked against who is asking. Reading threads lives in threads.ts.
 */
import { ParleyError } from '../domain/errors.ts';
import { renderCommentHtml } from '../domain/markdown.ts';
import { checkText } from '../domain/text.ts';
import { placeReply } from '../domain/thread.ts';
import type { Store } from '../store/db.ts';
import type { CommentRecord, Site, Story, User } from '../store/rows.ts';
import {
  deleteComment,
  getComment,
  setReaction,
  storeNewComment,
  updateCommentBody,
} from '../store/comments.ts';
import type { Assessment, CommentModerator } from './moderation.ts';
import type { SiteDirectory } from './site-directory.ts';
import { checkQaPost } from './qa.ts';
import { getStory } from '../store/stories.ts';
import {
  commentEventRows,
  publishLive,
  recordAndPublish,
  recordCommentChange,
  recordReactions,
} from '../live/record.ts';

export interface CommentLimits {
  maxCommentLength: number;
}

function checkBody(body: string, limits: CommentLimits): string {
  return checkText(body, { field: 'comment', maxLength: limits.maxCommentLength, multiline: true });
}

/** Sites that require a confirmed address (the default) refuse comments from accounts without. */
function requireVerifiedEmail(site: Site, author: User): void {
  if (site.auth.requireVerifiedEmail && author.emailVerifiedAt === null) {
    throw new ParleyError(
      'EMAIL_NOT_VERIFIED',
      'Confirm your email address to comment here: follow the link we mailed you.',
    );
  }
}

export async function requireComment(store: Store, id: string): Promise<CommentRecord> {
  const comment = await getComment(store.db, id);
  if (!comment || comment.status === 'deleted') {
    throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
  }
  return comment;
}

/** A comment that anyone may see: approved (or a tombstone), or pending to its own author. */
export async function requireVisibleComment(
  store: Store,
  id: string,
  viewer: User | null,
): Promise<CommentRecord> {
  const comment = await requireComment(store, id);
  if (comment.status !== 'approved' && comment.authorId !== viewer?.id) {
    throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
  }
  return comment;
}

export async function requireStory(
  store: Store,
  sites: SiteDirectory,
  id: string,
): Promise<{ story: Story; site: Site }> {
  const story = await getStory(store.db, id);
  const site = story && (await sites.get(story.siteId));
  if (!story || !site) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
  return { story, site };
}

/**
 * Posts a comment: checks the text, finds its place in the thread, runs the moderation pipeline
 * and stores it with the pipeline's status (published, held or rejected; the author sees it in
 * every case) in one transaction.
 */
export async function postComment(
  store: Store,
  limits: CommentLimits,
  moderator: CommentModerator,
  input: {
    story: Story;
    site: Site;
    author: User;
    body: string;
    parentId: string | null;
    /** The author saw the suggestion to revise and posts anyway (the comment is then held). */
    postAnyway?: boolean;
    /** The client's address and user agent, kept for abuse handling until the retention job. */
    client?: { ip: string; userAgent: string | undefined };
  },
): Promise<CommentRecord> {
  requireVerifiedEmail(input.site, input.author);
  // A closed Q&A takes no new questions (docs/qa.md).
  await checkQaPost(store, input);
  const body = checkBody(input.body, limits);
  let placement = { threadParentId: null as string | null, depth: 0 };
  let parent: CommentRecord | undefined;
  if (input.parentId) {
    parent = await requireVisibleComment(store, input.parentId, input.author);
    if (parent.storyId !== input.story.id) {
      throw new ParleyError('COMMENT_NOT_FOUND', 'The comment you reply to is not on this story.');
    }
    if (parent.deletedAt !== null || parent.status !== 'approved') {
      throw new ParleyError(
        'COMMENT_DELETED',
        'You cannot reply to a deleted or unpublished comment.',
      );
    }
    placement = placeReply(parent, input.site.maxDepth);
  }
  const html = renderCommentHtml(body);
  const assessment = await moderator.assess({
    site: input.site,
    story: input.story,
    author: input.author,
    body,
    html,
    commentId: null,
  });
  if (!input.postAnyway && suggestsRevision(assessment)) {
    throw new ParleyError(
      'REVISION_SUGGESTED',
      'This comment may break the site’s rules. Revise it, or post it anyway for a moderator to review.',
    );
  }
  // The live events are written with the comment, published once it is committed.
  const posted = await storeNewComment(
    store,
    {
      siteId: input.site.id,
      storyId: input.story.id,
      parentId: input.parentId,
      threadParentId: placement.threadParentId,
      depth: placement.depth,
      authorId: input.author.id,
      body,
      html,
      status: assessment.status,
      moderation: assessment.moderation,
      authorIp: input.client?.ip ?? null,
      authorUserAgent: input.client?.userAgent?.slice(0, 300) ?? null,
    },
    {
      authorName: input.author.displayName,
      authorRole: input.author.role,
      authorAvatarUrl: input.author.avatarUrl,
      authorBadges: input.author.badges,
      replyToName: parent?.authorName ?? null,
    },
    (comment) => commentEventRows(null, comment),
  );
  if (!posted) {
    // The parent was deleted or unpublished between the check above and the insert.
    throw new ParleyError(
      'COMMENT_DELETED',
      'You cannot reply to a deleted or unpublished comment.',
    );
  }
  publishLive(store, posted.events);
  return posted.comment;
}

/**
 * The nudge: a draft the classifier scored over the site's hold threshold is sent back once, so
 * its author can think again before it goes to the moderators (Coral's "toxic comment" warning).
 */
function suggestsRevision(assessment: Assessment): boolean {
  return assessment.moderation.reasons.some(
    (reason) => reason.code === 'CLASSIFIER_HOLD' || reason.code === 'CLASSIFIER_REJECT',
  );
}

function requireOwn(comment: CommentRecord, viewer: User, action: string): void {
  if (comment.authorId !== viewer.id) {
    throw new ParleyError('FORBIDDEN', `You can only ${action} your own comments.`);
  }
  if (comment.deletedAt !== null) {
    throw new ParleyError('COMMENT_DELETED', 'That comment has been deleted.');
  }
}

/** Edits the viewer's own comment within the edit window; the new text is moderated afresh. */
export async function editComment(
  store: Store,
  sites: SiteDirectory,
  limits: CommentLimits,
  moderator: CommentModerator,
  input: { id: string; viewer: User; body: string },
): Promise<CommentRecord> {
  const comment = await requireComment(store, input.id);
  requireOwn(comment, input.viewer, 'edit');
  const { site, story } = await requireStory(store, sites, comment.storyId);
  requireVerifiedEmail(site, input.viewer);
  const windowEnds = Date.parse(comment.createdAt) + site.editWindowSeconds * 1000;
  if (Date.now() > windowEnds) {
    throw new ParleyError('EDIT_WINDOW_CLOSED', 'The time for editing this comment has passed.');
  }
  const body = checkBody(input.body, limits);
  const html = renderCommentHtml(body);
  const assessment = await moderator.assess({
    site,
    story,
    author: input.viewer,
    body,
    html,
    commentId: comment.id,
  });
  if (!(await updateCommentBody(store.db, comment.id, body, html, assessment))) {
    throw new ParleyError('COMMENT_DELETED', 'That comment has been deleted.');
  }
  await recordAndPublish(store, (trx) =>
    recordCommentChange(trx, comment.id, { status: comment.status, deleted: false }),
  );
  return requireComment(store, comment.id);
}

/**
 * Deletes the viewer's own comment. Returns the tombstone left in its place when it has replies,
 * or null when it left the thread.
 */
export async function deleteOwnComment(
  store: Store,
  input: { id: string; viewer: User },
): Promise<CommentRecord | null> {
  const comment = await requireComment(store, input.id);
  requireOwn(comment, input.viewer, 'delete');
  if (!(await deleteComment(store.db, comment.id))) {
    throw new ParleyError('COMMENT_DELETED', 'That comment has been deleted.');
  }
  await recordAndPublish(store, (trx) =>
    recordCommentChange(trx, comment.id, { status: comment.status, deleted: false }),
  );
  const after = await getComment(store.db, comment.id);
  return after && after.status !== 'deleted' ? after : null;
}

/**
 * Gives (or takes back) the viewer's "Respect" on a comment and tells open pages the new count.
 * Respect is what others think of a comment, so its author may not give it: the widget does not
 * offer the button on one's own comments, and this refuses it from any other client. Taking one
 * back stays allowed (reactions given before the rule, or by an account since merged).
 */
export async function setCommentReaction(
  store: Store,
  input: { comment: CommentRecord; viewer: User; reacted: boolean },
): Promise<number> {
  const { comment, viewer, reacted } = input;
  if (comment.deletedAt !== null) {
    throw new ParleyError('COMMENT_DELETED', 'That comment has been deleted.');
  }
  if (reacted && comment.authorId === viewer.id) {
    throw new ParleyError('OWN_COMMENT_REACTION', 'You cannot react to your own comment.');
  }
  const reactionCount = await setReaction(store.db, comment.id, viewer.id, reacted);
  if (reactionCount !== comment.reactionCount) {
    await recordAndPublish(store, (trx) => recordReactions(trx, comment, reactionCount));
  }
  return reactionCount;
}
