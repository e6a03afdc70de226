/**
 * Account mail in every interface language: subject, plain text and HTML (right-to-left for
 * Arabic and Hebrew). The words live in ./copy/<lang>.ts; this module resolves the language,
 * fills in the parameters and lays the message out. Rendering is pure: the same input gives the
 * same message, so the outbox stores exactly what was (or will be) sent.
 */
import { createHash } from 'node:crypto';
import { ar } from './copy/ar.ts';
import { en } from './copy/en.ts';
import { es } from './copy/es.ts';
import { fr } from './copy/fr.ts';
import { he } from './copy/he.ts';
import { zh } from './copy/zh.ts';

export interface MailParams {
  /** Confirm the address of a new account. */
  verify: { name: string; link: string };
  /** Someone tried to sign up with an address that already has an account. */
  'signup-existing': { name: string; loginLink: string; resetLink: string };
  /** A password reset link (single use, short lived). */
  reset: { name: string; link: string };
  /** Confirm a new address (sent to the new address). */
  'change-email': { name: string; link: string };
  /** Sent to the old address once the change is made. */
  'email-changed': { name: string; newEmail: string };
  /** Deletion asked for: when it happens (ISO 8601, shown in the reader's language) and how to
   * cancel it. */
  'deletion-scheduled': { name: string; dueAt: string; cancelLink: string };
  /** The account has been erased. */
  'account-deleted': { name: string };
}

export type MailTemplate = keyof MailParams;

export const MAIL_TEMPLATES = [
  'verify',
  'signup-existing',
  'reset',
  'change-email',
  'email-changed',
  'deletion-scheduled',
  'account-deleted',
] as const satisfies readonly MailTemplate[];

/** The widget's interface languages. */
export const MAIL_LOCALES = ['en', 'ar', 'he', 'zh', 'fr', 'es'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/**
 * A piece of a message body: a paragraph; the message's main action (a button, with the address
 * written out under it for clients that do not show buttons); or a secondary action (a sentence
 * followed by the address).
 */
export type Block = string | { button: string; href: string } | { link: string; href: string };

/** One language's words for every message. Parameters arrive as opaque placeholders. */
export interface MailCopy {
  dir: 'ltr' | 'rtl';
  /** The salutation; null when the account has no name (any more). */
  greeting: (name: string | null) => string;
  /** Under a button: what to do when it does not work. */
  pasteLink: string;
  /** Between a button's label and its address in plain text (French spaces it, Chinese is wide). */
  colon: string;
  signoff: (brand: string) => string;
  templates: { [T in MailTemplate]: (p: MailParams[T]) => { subject: string; body: Block[] } };
}

export interface RenderedMail {
  locale: MailLocale;
  subject: string;
  text: string;
  html: string;
}

const COPY: Record<MailLocale, MailCopy> = { en, ar, he, zh, fr, es };

/** "fr-CA" → "fr", "ZH_hant" → "zh"; anything else (or nothing) → "en". */
export function resolveMailLocale(locale: string | null | undefined): MailLocale {
  const language = locale?.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return MAIL_LOCALES.find((known) => known === language) ?? 'en';
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/*
 * The copy is written with parameters as placeholders (private-use characters around the name),
 * so that the words and the values can be told apart afterwards: in HTML both are escaped exactly
 * once, and a value can never be read as a placeholder or as markup.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\w+)\uE001/;

function placeholders(keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, `${OPEN}${key}${CLOSE}`]));
}

type Values = Record<string, string>;

/** Pieces of a copy string: even indexes are words, odd indexes are parameter names. */
const pieces = (copy: string) => copy.split(PLACEHOLDER);

function fillText(copy: string, values: Values): string {
  return pieces(copy)
    .map((piece, i) => (i % 2 ? (values[piece] ?? '') : piece))
    .join('');
}

/** Words escaped; each value escaped and isolated, so a Latin name keeps its place in Arabic. */
function fillHtml(copy: string, values: Values): string {
  return pieces(copy)
    .map((piece, i) =>
      i % 2 ? `<bdi>${escapeHtml(values[piece] ?? '')}</bdi>` : escapeHtml(piece),
    )
    .join('');
}

/** Only web addresses become links; anything else is shown as text. */
const isWebLink = (href: string) => /^https?:\/\//i.test(href);

/** A due date in the reader's language, in UTC (the mail cannot know the reader's zone). */
function formatDate(iso: string, locale: MailLocale): string {
  const date = new Date(iso);
  if (!/^\d{4}-\d\d-\d\d/.test(iso) || Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(date);
}

const FONT =
  "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Noto Sans Arabic', 'Noto Sans Hebrew', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const STYLE = {
  body: 'margin:0;padding:0;background-color:#f3f3f0;',
  card: `max-width:560px;margin:0 auto;padding:32px 28px;background-color:#ffffff;color:#1b1b1b;font-family:${FONT};font-size:16px;line-height:1.55;`,
  p: 'margin:0 0 16px;',
  buttonRow: 'margin:24px 0 12px;',
  button:
    'display:inline-block;padding:12px 22px;background-color:#1c4f7c;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:600;',
  small: 'margin:0 0 20px;font-size:13px;color:#5a5a5a;',
  url: 'color:#1c4f7c;word-break:break-all;',
  signoff: 'margin:28px 0 0;color:#5a5a5a;',
};

/**
 * Content-Security-Policy sources allowing exactly these inline styles and no other: the dashboard
 * previews mail in a sandboxed frame, which inherits the dashboard's policy (src/server/admin-page.ts).
 */
export const MAIL_STYLE_SOURCES: readonly string[] = Object.values(STYLE).map(
  (style) => `'sha256-${createHash('sha256').update(style).digest('base64')}'`,
);

function textBlock(block: Block, copy: MailCopy, values: Values): string {
  if (typeof block === 'string') return fillText(block, values);
  const href = fillText(block.href, values);
  if ('link' in block) return `${fillText(block.link, values)}\n${href}`;
  return `${fillText(block.button, values)}${copy.colon}\n${href}`;
}

/** An address written out: a link when it is a web address, left-to-right in any language. */
function htmlAddress(href: string): string {
  const escaped = escapeHtml(href);
  return isWebLink(href)
    ? `<a href="${escaped}" style="${STYLE.url}" dir="ltr">${escaped}</a>`
    : `<span dir="ltr">${escaped}</span>`;
}

function htmlBlock(block: Block, copy: MailCopy, values: Values): string {
  if (typeof block === 'string') return `<p style="${STYLE.p}">${fillHtml(block, values)}</p>`;
  const href = fillText(block.href, values);
  if ('link' in block) {
    return `<p style="${STYLE.p}">${fillHtml(block.link, values)}<br>${htmlAddress(href)}</p>`;
  }
  const label = fillHtml(block.button, values);
  const button = isWebLink(href)
    ? `<a href="${escapeHtml(href)}" style="${STYLE.button}">${label}</a>`
    : label;
  return (
    `<p style="${STYLE.buttonRow}">${button}</p>` +
    `<p style="${STYLE.small}">${escapeHtml(copy.pasteLink)}<br>${htmlAddress(href)}</p>`
  );
}

/**
 * Renders one message. `brand` is the name the mail signs with (the product's by default).
 * Parameters are plain text: they are escaped here, once, for the HTML.
 */
export function renderMail<T extends MailTemplate>(
  template: T,
  locale: string | null,
  params: MailParams[T],
  brand = 'Parley',
): RenderedMail {
  const lang = resolveMailLocale(locale);
  const copy = COPY[lang];
  const raw = params as unknown as Values;
  const values: Values = { ...raw, brand };
  if ('dueAt' in raw && raw.dueAt) values.dueAt = formatDate(raw.dueAt, lang);
  const slots = placeholders(Object.keys(values));
  const build = copy.templates[template] as (p: Values) => { subject: string; body: Block[] };
  const message = build(slots);
  const greeting = copy.greeting(raw.name?.trim() ? (slots.name as string) : null);
  const signoff = copy.signoff(slots.brand as string);
  const subject = fillText(message.subject, values);

  const text = [
    fillText(greeting, values),
    ...message.body.map((block) => textBlock(block, copy, values)),
    fillText(signoff, values),
  ].join('\n\n');

  const html =
    `<!DOCTYPE html>\n<html lang="${lang}" dir="${copy.dir}">` +
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(subject)}</title></head>` +
    `<body style="${STYLE.body}"><div dir="${copy.dir}" style="${STYLE.card}">` +
    `<p style="${STYLE.p}">${fillHtml(greeting, values)}</p>` +
    message.body.map((block) => htmlBlock(block, copy, values)).join('') +
    `<p style="${STYLE.signoff}">${fillHtml(signoff, values)}</p>` +
    `</div></body></html>\n`;

  return { locale: lang, subject, text: `${text}\n`, html };
}
