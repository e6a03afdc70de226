/**
 * Where a comment is read: its article's address with `#parley-comment-<id>`, which the widget
 * opens at that comment (its thread loaded and scrolled to). Mail, moderators' alerts and feeds
 * link to comments this way.
 */
export function permalink(storyUrl: string, commentId: string): string {
  try {
    const url = new URL(storyUrl);
    url.hash = `parley-comment-${commentId}`;
    return url.href;
  } catch {
    return `${storyUrl.replace(/#.*$/, '')}#parley-comment-${commentId}`;
  }
}
