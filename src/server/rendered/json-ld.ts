/**
 * schema.org structured data for a story's discussion: one `DiscussionForumPosting` (the article's
 * comment section, at the article's address) whose `comment` list holds the page's comments as
 * `Comment` items, replies nested under their parent. Each comment carries what Google's
 * discussion forum documentation requires (author with a name, datePublished, text) and what it
 * recommends (url: the comment's anchor on the article, dateModified, like counts). Deleted
 * comments have no author or text: they are left out, their shown replies kept under the posting.
 */
import { cleanText, htmlToText } from '../../domain/excerpt.ts';
import type { CommentJson, ThreadCommentJson } from '../schemas.ts';
import type { AnonymousPage } from './page-data.ts';

type JsonLd = Record<string, unknown>;

/** The anchor of a comment, on the article page (the fragment) and on Parley's plain page. */
export const commentAnchor = (commentId: string) => `parley-comment-${commentId}`;

const likes = (count: number): JsonLd => ({
  '@type': 'InteractionCounter',
  interactionType: 'https://schema.org/LikeAction',
  userInteractionCount: count,
});

function commentItem(
  comment: CommentJson,
  articleUrl: string,
  replies: CommentJson[],
): JsonLd | undefined {
  if (comment.deleted || !comment.author) return undefined;
  const item: JsonLd = {
    '@type': 'Comment',
    '@id': `${articleUrl}#${commentAnchor(comment.id)}`,
    url: `${articleUrl}#${commentAnchor(comment.id)}`,
    author: { '@type': 'Person', name: cleanText(comment.author.displayName) },
    datePublished: comment.createdAt,
    ...(comment.editedAt && { dateModified: comment.editedAt }),
    text: cleanText(htmlToText(comment.html)),
    interactionStatistic: likes(comment.reactionCount),
    ...(comment.parentId === null && { commentCount: comment.replyCount }),
  };
  const nested = replies.flatMap((reply) => commentItem(reply, articleUrl, []) ?? []);
  if (nested.length > 0) item.comment = nested;
  return item;
}

/**
 * The JSON-LD document of a page of a story's thread, anchored on the article's address; dated
 * from the story's publication (or, unknown, from when Parley first saw it).
 */
export function discussionJsonLd(
  page: AnonymousPage,
  context: { siteName: string; storyCreatedAt: string },
): JsonLd {
  const { siteName } = context;
  const { story } = page;
  const articleUrl = story.url;
  const comments = page.comments.flatMap((entry: ThreadCommentJson) => {
    const item = commentItem(entry, articleUrl, entry.replies);
    if (item) return [item];
    // A deleted comment's replies still stand, at the posting's level.
    return entry.replies.flatMap((reply) => commentItem(reply, articleUrl, []) ?? []);
  });
  const headline = cleanText(story.title ?? '') || articleUrl;
  return {
    '@context': 'https://schema.org',
    '@type': 'DiscussionForumPosting',
    '@id': `${articleUrl}#parley-comments`,
    url: articleUrl,
    mainEntityOfPage: articleUrl,
    headline,
    text: cleanText(story.description ?? '') || headline,
    author: story.author
      ? { '@type': 'Person', name: cleanText(story.author) }
      : { '@type': 'Organization', name: cleanText(siteName) },
    datePublished: story.publishedAt ?? context.storyCreatedAt,
    commentCount: story.commentCount,
    interactionStatistic: {
      '@type': 'InteractionCounter',
      interactionType: 'https://schema.org/CommentAction',
      userInteractionCount: story.commentCount,
    },
    ...(comments.length > 0 && { comment: comments }),
  };
}
