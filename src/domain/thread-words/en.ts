/**
 * The words of a comment thread as a signed-out reader first sees it, in English: the widget's
 * (web/embed/src/i18n.ts spreads them into its strings) and the server-rendered thread's
 * (src/server/rendered/markup.ts), so both draw the same text from one definition. Each language
 * is a module of its own, so the widget's English file and each of its language files carry only
 * their own; the server takes all of them from ./index.ts. English defines the shape.
 */

const en = {
  commentsHeading: (n: number) => (n === 1 ? '1 comment' : `${n} comments`),
  noComments: 'No comments yet.',
  closed: 'Comments are closed.',
  joinPrompt: 'Sign in to join the conversation.',
  signIn: 'Sign in',
  reply: 'Reply',
  respect: 'Respect',
  report: 'Report',
  deleted: 'This comment was deleted',
  featured: 'Featured',
  /** Marks a comment the site pins above its default order. */
  pinned: 'Pinned',
  edited: 'edited',
  inReplyTo: 'in reply to',
  sortBy: 'Sort by',
  sorts: {
    newest: 'Newest',
    oldest: 'Oldest',
    replies: 'Most replies',
    reactions: 'Most reactions',
    best: 'Best',
  },
  loadMore: 'Load more comments',
  showMoreReplies: (n: number) =>
    n > 0 ? `Show ${n} more ${n === 1 ? 'reply' : 'replies'}` : 'Show more replies',
  staff: 'Staff',
  /** A comment's accessible name, and its Reply button's (each with the author's name). */
  commentBy: (name: string) => `Comment by ${name}`,
  replyTo: (name: string) => `Reply to ${name}`,
  /** Labels a publisher grants its readers (others are shown as the publisher wrote them). */
  badges: {
    subscriber: 'Subscriber',
    verified: 'Verified',
    staff: 'Staff',
  } as Partial<Record<string, string>>,
  copyLink: 'Copy link',
};

export type ThreadWords = typeof en;

export default en;
