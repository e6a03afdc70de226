/**
 * Interface strings. English defines the shape and is built into embed.js; every other language is
 * typed as Messages in its own module (./i18n/<lang>.ts, so TypeScript rejects a missing or extra
 * key), built into its own file that only pages in that language load (see loadMessages). The words
 * of the comment forms, which only a signed-in reader uses, are the notification features'
 * (./notify/i18n/<lang>.ts), loaded with those forms after the first paint.
 */
import type { ReportReason, SortOrder } from './api/types.js';
import { RIGHT_TO_LEFT_LANGUAGES, type InterfaceLanguage } from '../../../src/domain/vocabulary.js';

export type Lang = InterfaceLanguage;

const en = {
  commentsHeading: (n: number) => (n === 1 ? '1 comment' : `${n} comments`),
  loading: 'Loading comments…',
  retry: 'Try again',
  networkError: 'Could not reach the comment service.',
  unknownError: 'Something went wrong. Please try again.',
  noComments: 'No comments yet.',
  closed: 'Comments are closed.',
  joinPrompt: 'Sign in to join the conversation.',
  signIn: 'Sign in',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  yourAccount: 'Your account',
  popupBlocked:
    'Your browser blocked the sign-in window. Allow pop-ups for this page and try again.',
  reply: 'Reply',
  edit: 'Edit',
  delete: 'Delete',
  respect: 'Respect',
  report: 'Report',
  reported: 'Reported',
  reasons: {
    abuse: 'Abuse',
    spam: 'Spam',
    off_topic: 'Off topic',
    misinformation: 'Misinformation',
    other: 'Other',
    // Reasons a moderator may give for removing a comment, beyond those a reader may report.
    hate: 'Hate',
    threat: 'Threats',
    illegal: 'Illegal',
    privacy: 'Privacy',
  } as Record<ReportReason | 'hate' | 'threat' | 'illegal' | 'privacy', string>,
  deleted: 'This comment was deleted',
  awaitingReview: 'Awaiting review',
  removed: 'Removed by a moderator',
  featured: 'Featured',
  edited: 'edited',
  inReplyTo: 'in reply to',
  sortBy: 'Sort by',
  sorts: {
    newest: 'Newest',
    oldest: 'Oldest',
    replies: 'Most replies',
    reactions: 'Most reactions',
  } as Record<SortOrder, string>,
  newComments: (n: number) => (n === 1 ? '1 new comment' : `${n} new comments`),
  loadMore: 'Load more comments',
  showMoreReplies: (n: number) =>
    n > 0 ? `Show ${n} more ${n === 1 ? 'reply' : 'replies'}` : 'Show more replies',
  staff: 'Staff',
  announceSignedOut: 'Signed out',
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
  linkCopied: 'Link copied',
  commentLink: 'Link to this comment',
};

export type Messages = typeof en;

/**
 * The version of the language files (a hash of their contents, set by scripts/build-web.ts), part
 * of their names so that they can be cached for good.
 */
declare const PARLEY_I18N_VERSION: string;

/**
 * The strings of a language: English at once; another language from its file beside embed.js
 * (i18n/<lang>.<version>.js under the script's URL), or English when that file cannot be loaded.
 */
export function loadMessages(lang: Lang, scriptSrc: string): Promise<{ lang: Lang; t: Messages }> {
  const english = { lang: 'en' as const, t: en };
  if (lang === 'en') return Promise.resolve(english);
  const url = new URL(`i18n/${lang}.${PARLEY_I18N_VERSION}.js`, scriptSrc).href;
  return import(url).then(
    (module: { default: Messages }) => ({ lang, t: module.default }),
    () => english,
  );
}

/** BCP 47 tags handed to Intl for dates and relative times. */
export const LOCALES: Readonly<Record<Lang, string>> = {
  en: 'en',
  ar: 'ar',
  he: 'he',
  zh: 'zh-CN',
  fr: 'fr',
  es: 'es',
};

const LANGS = Object.keys(LOCALES) as Lang[];
export const isRtl = (lang: Lang): boolean => RIGHT_TO_LEFT_LANGUAGES.includes(lang);

/** The first candidate tag (such as "fr-CA" or "iw") that names a supported language, else English. */
export function pickLanguage(candidates: readonly (string | null | undefined)[]): Lang {
  for (const candidate of candidates) {
    const primary = candidate?.trim().toLowerCase().split(/[-_]/)[0];
    const lang = primary === 'iw' ? 'he' : primary;
    const supported = LANGS.find((known) => known === lang);
    if (supported) return supported;
  }
  return 'en';
}
