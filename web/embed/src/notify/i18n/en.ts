/**
 * The notification features' words in English, which also define the shape every other language
 * (./<lang>.ts, typed as NotifyMessages) fills. Each language is built into the features' file for
 * that language (scripts/build-web.ts), so a page carries only its own. In the templates, {name},
 * {title} and {text} stand for what the widget puts there (a reader's name or a story's title, each
 * isolated for bidirectional text), so each language orders its sentence as it needs.
 */
import type { EmailMode, NotificationKind, NotificationKinds } from '../../api/types.js';

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
};

export default en;
export type NotifyMessages = typeof en;
