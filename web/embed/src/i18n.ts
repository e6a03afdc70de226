/**
 * Interface strings. English defines the shape and is built into embed.js; every other language is
 * typed as Messages in its own module (./i18n/<lang>.ts, so TypeScript rejects a missing or extra
 * key), built into its own file that only pages in that language load (see loadMessages). The words
 * of the comment forms, which only a signed-in reader uses, are the notification features'
 * (./notify/i18n/<lang>.ts), loaded with those forms after the first paint.
 */
import type { ReportReason } from './api/types.js';
import thread from '../../../src/domain/thread-words/en.js';
import { RIGHT_TO_LEFT_LANGUAGES, type InterfaceLanguage } from '../../../src/domain/vocabulary.js';

export type Lang = InterfaceLanguage;

const en = {
  ...thread,
  loading: 'Loading comments…',
  retry: 'Try again',
  networkError: 'Could not reach the comment service.',
  unknownError: 'Something went wrong. Please try again.',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  yourAccount: 'Your account',
  popupBlocked:
    'Your browser blocked the sign-in window. Allow pop-ups for this page and try again.',
  edit: 'Edit',
  delete: 'Delete',
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
  awaitingReview: 'Awaiting review',
  removed: 'Removed by a moderator',
  newComments: (n: number) => (n === 1 ? '1 new comment' : `${n} new comments`),
  announceSignedOut: 'Signed out',
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
