/**
 * The notification features' words in English, which also define the shape every other language
 * (./<lang>.ts, typed as NotifyMessages) fills. Each language is built into the features' file for
 * that language (scripts/build-web.ts), so a page carries only its own. In the templates, {name},
 * {title} and {text} stand for what the widget puts there (a reader's name or a story's title, each
 * isolated for bidirectional text), so each language orders its sentence as it needs.
 */
import type { EmailMode, NotificationKind, NotificationKinds } from '../../api/types.js';
import ignore from '../ignore/i18n/en.js';
import qa from '../qa/i18n/en.js';

const en = {
  notifications: 'Notifications',
  /** The bell's accessible name, with the number of unread notifications. */
  bell: (unread: number) => (unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`),
  close: 'Close',
  loading: 'Loading…',
  markAllRead: 'Mark all read',
  settings: 'Email settings',
  backToList: 'Back to notifications',
  older: 'Show older notifications',
  empty: 'Nothing yet. Replies to your comments and news about them will show here.',
  unread: 'Unread:',
  what: {
    reply: '{name} replied to your comment',
    staff: '{name} of the newsroom replied in your discussion',
    mention: '{name} mentioned you',
    approved: 'Your comment was approved and published',
    rejected: 'Your comment was removed',
    featured: 'Your comment was featured',
    appeal: 'A moderator decided your appeal',
    answer: '{name} answered your question',
  } as Record<NotificationKind, string>,
  /** A reply or mention whose author is unknown (an account since deleted). */
  someone: 'Someone',
  reason: 'Reason:',
  onStory: 'On {title}',
  anotherStory: 'another article',
  /** Said once by the polite live region when a notification arrives. */
  announce: 'New notification: {text}',

  settingsTitle: 'Email notifications',
  emailLegend: 'Email me',
  modes: {
    off: 'Never',
    immediate: 'Straight away',
    hourly: 'In an hourly digest',
    daily: 'In a daily digest',
  } as Record<EmailMode, string>,
  kindsLegend: 'About',
  kinds: {
    reply: 'Replies to my comments',
    staff: 'Replies from the newsroom in my discussions',
    mention: 'Mentions of my name',
    moderation: 'Moderation decisions about my comments',
    featured: 'My comments being featured',
  } as Record<keyof NotificationKinds, string>,
  listNote: 'The list under the bell shows everything, whatever you choose here.',
  unconfirmed: 'Mail starts once you confirm your email address.',
  bounced:
    'Mail to your address could not be delivered, so none is sent. Confirm your address again in “Your account”.',
  saveSettings: 'Save settings',
  settingsSaved: 'Settings saved.',

  optIn: 'Email me when someone replies',
  optInDone: 'We will email you when someone replies.',

  mentionsLabel: 'Readers of this discussion',
  /** How many names the suggestions offer (said by the polite live region). */
  mentionCount: (n: number) =>
    n === 1
      ? '1 name suggested: arrow keys to choose'
      : `${n} names suggested: arrow keys to choose`,

  linkedNotice:
    'You followed a link to this comment; the discussion it belongs to is shown around it.',
  showWhole: 'Show the whole discussion',
  linkedGone: 'The comment you followed a link to is no longer available.',

  /** The publisher's rules: beside the composer and in the suggestion to revise a draft. */
  guidelines: 'Community guidelines',
  /** Escape in a reply box with text in it asks first. */
  discardPrompt: 'Discard your reply?',
  discard: 'Discard',
  keepWriting: 'Keep writing',
  /** On the author's own comment while it may still be edited (whole minutes, rounded up). */
  editTime: (minutes: number) =>
    minutes === 1 ? 'You can edit for 1 more minute' : `You can edit for ${minutes} more minutes`,
  /** Why the author's held comment waits: the moderation pipeline's reason codes in words. */
  heldWhy: 'Why it is waiting:',
  held: {
    PREMOD_SITE: 'This site reviews every comment before publishing it.',
    PREMOD_STORY: 'Comments on this article are reviewed before they are published.',
    PREMOD_USER: 'Your comments are reviewed before they are published.',
    PREMOD_NEW_COMMENTER: 'Comments from new participants are reviewed before they are published.',
    LINKS_HELD: 'It contains a link, which a moderator checks first.',
    WORD_SUSPECT: 'It contains words that a moderator checks first.',
    CLASSIFIER_HOLD: 'Our automatic check found it might break the discussion’s rules.',
    SITE_MODEL_HOLD: 'It resembles comments this site’s moderators have removed before.',
    POSTING_RATE: 'You posted several comments in a short time.',
    EXTERNAL_HOLD: 'The publisher’s moderation service asked for a review.',
    EXTERNAL_UNAVAILABLE: 'The automatic check could not be completed in time.',
  } as Partial<Record<string, string>>,
  /** A reason without words of its own (or none recorded). */
  heldOther: 'A moderator will review it before it is published.',
  // The Digital Services Act (docs/dsa.md): appeals, and notices of illegal content.
  appealUpheld: 'The decision stands.',
  appealReversed: 'The decision was reversed: your comment is published again.',
  appealWhy: 'The moderator’s explanation:',
  appeal: 'Appeal this decision',
  appealLabel: 'Why should this decision be reviewed?',
  appealHint:
    'A moderator who did not take the decision will review it. You can appeal each decision once.',
  appealSend: 'Send appeal',
  appealSent: 'Your appeal was sent. You will be told the outcome.',
  noticeLegend: 'Illegal content',
  noticeHint:
    'A notice under the EU Digital Services Act. The moderators see your name and email address if you give them.',
  legalGround: 'Legal ground (the law, or the kind of illegality)',
  legalGroundExample: 'e.g. defamation, incitement to violence',
  explanation: 'Why is this content illegal?',
  notifierName: 'Your name (optional)',
  notifierEmail: 'Your email address (optional)',
  goodFaith:
    'I confirm, in good faith, that the information in this notice is accurate and complete to the best of my knowledge.',
  // The comment forms (ui/Writing.tsx): the composer, a reply, an edit, a report, the question
  // before deleting, what the live region says of each, and the forms' own notices.
  warned: 'A moderator has warned you',
  understand: 'I understand',
  yourComment: 'Your comment',
  yourReply: 'Your reply',
  formattingHint: '*emphasis*, [links](url), > quotes and `code` work.',
  postComment: 'Post comment',
  postReply: 'Post reply',
  save: 'Save',
  cancel: 'Cancel',
  revisePrompt: 'This comment may break the discussion’s rules. Would you like to revise it?',
  revise: 'Revise',
  postAnyway: 'Post anyway',
  confirmEmail: 'Confirm your email address to comment — we sent you a link.',
  resendLink: 'Send the link again',
  linkSent: 'We sent a new link. Check your inbox.',
  deletePrompt: 'Delete this comment?',
  reportLegend: 'Why are you reporting this comment?',
  reportNote: 'Note (optional)',
  sendReport: 'Send report',
  announcePosted: 'Comment posted',
  announcePending: 'Comment sent for review',
  announceUpdated: 'Comment updated',
  announceDeleted: 'Comment deleted',
  announceReported: 'Report sent',
  // The Q&A feature's words (../qa/i18n).
  qa,
  // Ignoring a reader (../ignore/i18n).
  ignore,
};

export default en;
export type NotifyMessages = typeof en;
