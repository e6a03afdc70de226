/**
 * Every mail Parley writes, in every interface language: subject, plain text and HTML (right to
 * left for Arabic and Hebrew). Account mail (confirm an address, reset a password…), readers'
 * notifications and digests, moderators' alerts and the notice of a webhook turned off. The words
 * live in ./copy/<lang>.ts; this module resolves the language, fills in the parameters and lays the
 * message out, under the publisher's brand when one is given (docs/notifications.md, "Mail").
 * Rendering is pure: the same input gives the same message, so the outbox stores exactly what was
 * (or will be) sent.
 */
import { createHash } from 'node:crypto';
import { INTERFACE_LANGUAGES, type InterfaceLanguage } from '../domain/vocabulary.ts';
import type { NotificationKind } from '../store/schema.ts';
import { ar } from './copy/ar.ts';
import { en } from './copy/en.ts';
import { es } from './copy/es.ts';
import { fr } from './copy/fr.ts';
import { he } from './copy/he.ts';
import { zh } from './copy/zh.ts';

/** What a notification mail says about one comment (the reply, the mention, the reader's own). */
export interface NotifyParams {
  /** The reader's name (the greeting). */
  name: string;
  siteName: string;
  /** The article's title (or its address when it has none). */
  storyTitle: string;
  /** Who wrote the comment: the replier, the mentioner; the reader for their own comment. */
  actor: string;
  /** The comment's text as plain text, cut short (src/mail/excerpt.ts). */
  excerpt: string;
  /** The comment in its article (the permalink). */
  link: string;
}

/** One notification in a digest. */
export interface DigestItem {
  kind: NotificationKind;
  author: string;
  excerpt: string;
  link: string;
  /** For a rejection: the moderator's reason code (e.g. SPAM). */
  reasonCode: string | null;
}

export interface DigestStory {
  title: string;
  /** The article. */
  link: string;
  items: DigestItem[];
  /** This article's notifications left out by the cap. */
  more: number;
}

/** The alerts module's kinds (src/notify/chat-formats.ts): a test alert included. */
export type AlertKind = 'pending' | 'reported' | 'threshold' | 'spike' | 'digest' | 'test';

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

  /** A reply to the reader's comment. */
  'notify-reply': NotifyParams;
  /** A reply from the newsroom (a journalist, a moderator) in a thread the reader is part of. */
  'notify-staff': NotifyParams;
  /** The reader was mentioned (`@name`). */
  'notify-mention': NotifyParams;
  /** The reader's question in a Q&A was answered by the story's expert (docs/qa.md). */
  'notify-answer': NotifyParams;
  /** The reader's comment was published after review. */
  'notify-approved': NotifyParams;
  /** The reader's comment was not published: the reason and the note the author sees anyway. */
  'notify-rejected': NotifyParams & {
    /** The moderator's reason code (ABUSE, SPAM…); an unknown one reads as "other". */
    reasonCode: string;
    note: string | null;
    /** The site's community guidelines (https), when it has some. */
    guidelinesLink: string | null;
  };
  /** The reader's comment was featured. */
  'notify-featured': NotifyParams;
  /** An appeal of a decision on the reader's comment was decided (docs/dsa.md). */
  'notify-appeal': NotifyParams & {
    outcome: 'upheld' | 'reversed';
    /** The reviewing moderator's explanation. */
    note: string | null;
  };
  /**
   * The acknowledgement of a notice of illegal content (Digital Services Act, Article 16(4)), to
   * the address the notifier gave, or else to their account's confirmed address (docs/dsa.md).
   */
  'notice-received': {
    name: string;
    siteName: string;
    storyTitle: string;
    /** The legal ground the notifier gave, as they wrote it. */
    legalGround: string;
    /** The comment reported, in its article. */
    link: string;
  };
  /** Several notifications at once, grouped by article, capped (the rest counted). */
  'notify-digest': {
    name: string;
    siteName: string;
    period: 'hourly' | 'daily';
    stories: DigestStory[];
    /** Notifications on articles not shown at all. */
    more: number;
  };
  /**
   * A moderator's alert (queued by src/notify/alerts.ts): comments waiting in the pending queue,
   * comments reported (or reported more often than the moderator's threshold), a story's volume
   * spiking, a digest of the queues, or a test.
   */
  'moderator-alert': {
    name: string;
    siteName: string;
    kind: AlertKind;
    /** How many comments the alert is about (digest: all those waiting, shown or not). */
    count: number;
    /** The article concerned (spike; reported, when known). */
    storyTitle?: string | null;
    /** The first few comments concerned, with why they need a look and where to review them. */
    items: Array<{ author: string; excerpt: string; reason: string; link: string }>;
    /** The dashboard (the queue, the story). */
    link: string;
  };
  /** A publisher's webhook endpoint failed for too long and was turned off (to its site's admins). */
  'webhook-disabled': {
    name: string;
    siteName: string;
    url: string;
    /** When deliveries started failing (ISO 8601, shown in the reader's language). */
    since: string;
    /** The last error, as the delivery log shows it. */
    reason: string;
    /** The endpoint in the dashboard. */
    link: string;
  };
}

export type MailTemplate = keyof MailParams;

/** Account mail: sent to an address whatever its reader chose, bounced or not (docs/identity.md). */
export const MAIL_TEMPLATES = [
  'verify',
  'signup-existing',
  'reset',
  'change-email',
  'email-changed',
  'deletion-scheduled',
  'account-deleted',
] as const satisfies readonly MailTemplate[];

/** Everything else: notifications, digests, alerts and notices, stopped by a hard bounce. */
export const NOTICE_TEMPLATES = [
  'notify-reply',
  'notify-staff',
  'notify-mention',
  'notify-approved',
  'notify-rejected',
  'notify-featured',
  'notify-appeal',
  'notify-answer',
  'notice-received',
  'notify-digest',
  'moderator-alert',
  'webhook-disabled',
] as const satisfies readonly MailTemplate[];

export const isAccountMail = (template: string): boolean =>
  (MAIL_TEMPLATES as readonly string[]).includes(template);

/** The kinds of mail a reader unsubscribes from in one click (a digest turns all mail off). */
export const LIST_KINDS = [
  'reply',
  'staff',
  'mention',
  'moderation',
  'featured',
  'digest',
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** Mail is written in every interface language. */
export const MAIL_LOCALES = INTERFACE_LANGUAGES;
export type MailLocale = InterfaceLanguage;

/**
 * A piece of a message body: a paragraph; the message's main action (a button, with the address
 * written out under it for clients that do not show buttons); a secondary action (a sentence
 * followed by the address); a short link (a label, its address only in the text part); a quoted
 * comment; a heading (linked to `href` in HTML when it is a web address); or a small note.
 */
export type Block =
  | string
  | { button: string; href: string }
  | { link: string; href: string }
  | { action: string; href: string }
  | { quote: string }
  | { heading: string; href?: string }
  | { note: string };

/** The words of the page an unsubscribe link opens (src/server/routes/unsubscribe.ts). */
export interface UnsubscribePageCopy {
  title: string;
  /** "Stop emails about <list>?" */
  question: (list: string) => string;
  /** Under the question: it can be undone. */
  undo: string;
  button: string;
  /** After the click. */
  done: (list: string) => string;
  /** A link that is not (or no longer) valid. */
  invalid: string;
  /** The link to the reader's settings. */
  settings: string;
}

/** One language's words for every message. Parameters arrive as opaque placeholders. */
export interface MailCopy {
  dir: 'ltr' | 'rtl';
  /** The salutation; null when the account has no name (any more). */
  greeting: (name: string | null) => string;
  /** Under a button: what to do when it does not work. */
  pasteLink: string;
  /** Between a button's label and its address in plain text (French spaces it, Chinese is wide). */
  colon: string;
  /**
   * The closing line with the brand's placeholder; `name` is the brand's name itself, to choose a
   * form by (an English name that starts with "The" takes no second one), never to write in.
   */
  signoff: (brand: string, name: string) => string;
  /** The kinds of mail a reader can stop, as "emails about …" names them. */
  lists: Record<ListKind, string>;
  /** Why a notification came, at its foot ("…because you asked <site> for emails about <list>"). */
  footer: (list: string, site: string) => string;
  /** The label of the one-click unsubscribe link. */
  unsubscribe: string;
  /** The moderators' reasons for a rejection, by code in lower case, as the widget shows them. */
  reasons: Record<string, string>;
  unsubscribePage: UnsubscribePageCopy;
  templates: { [T in MailTemplate]: (p: MailParams[T]) => { subject: string; body: Block[] } };
}

export interface RenderedMail {
  locale: MailLocale;
  subject: string;
  text: string;
  html: string;
}

/** The publisher a mail comes from (src/domain/branding.ts, with the site's name). */
export interface MailBrand {
  siteName: string;
  /** https only; anything else is left out. */
  logoUrl?: string | null;
  /** `#rrggbb`: the main button's colour. */
  accentColor?: string | null;
  /** The From name; the site's name when not set (used by the outbox, not in the body). */
  senderName?: string | null;
  /** The mail's last line, instead of the copy's "The <site> team". */
  signoff?: string | null;
}

/** The one-click unsubscribe a notification carries at its foot (and in its headers). */
export interface MailFooter {
  list: ListKind;
  unsubscribeUrl: string;
}

const COPY: Record<MailLocale, MailCopy> = { en, ar, he, zh, fr, es };

/** One language's words (for pages that share them, like the unsubscribe page). */
export const mailCopy = (locale: string | null | undefined): MailCopy =>
  COPY[resolveMailLocale(locale)];

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
 * The copy is written with parameters as placeholders (private-use characters around the
 * parameter's path: `name`, `stories.0.items.2.author`), so that the words and the values can be
 * told apart afterwards: in HTML both are escaped exactly once, and a value can never be read as a
 * placeholder or as markup. Numbers reach the copy as numbers (to count and to choose a plural);
 * the few parameters that choose words (CHOICES) reach it as they are, and must look like codes.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000([\w.]+)\uE001/;
const CHOICES = new Set(['kind', 'period', 'reasonCode', 'outcome']);
const CHOICE_VALUE = /^[A-Za-z_-]{1,40}$/;
/** Parameters holding a date (ISO 8601), shown in the reader's language. */
const DATES = new Set(['dueAt', 'since']);

type Values = Record<string, string>;

const slot = (path: string) => `${OPEN}${path}${CLOSE}`;

/**
 * The parameters as the copy sees them: every text replaced by its placeholder (its value kept in
 * `values` under the same path), through lists and nested records; numbers, nulls and choices as
 * they are.
 */
function toSlots(
  value: unknown,
  path: string,
  key: string,
  values: Values,
  lang: MailLocale,
): unknown {
  if (typeof value === 'string') {
    if (CHOICES.has(key)) return CHOICE_VALUE.test(value) ? value : '';
    values[path] = DATES.has(key) ? formatDate(value, lang) : value;
    return slot(path);
  }
  if (Array.isArray(value)) {
    return value.map((item, i): unknown => toSlots(item, `${path}.${i}`, key, values, lang));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        toSlots(v, path ? `${path}.${k}` : k, k, values, lang),
      ]),
    );
  }
  return value;
}

/** Pieces of a copy string: even indexes are words, odd indexes are parameter paths. */
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
const BUTTON_SHAPE =
  'display:inline-block;padding:12px 22px;text-decoration:none;border-radius:4px;font-weight:600;';
/*
 * Every inline style a mail can carry: a fixed set, so that the dashboard's policy can allow them
 * by hash (MAIL_STYLE_SOURCES). A publisher's accent colour is therefore never written into a
 * style: it is the `bgcolor` attribute of the button's table cell (which every mail client honours
 * and a Content-Security-Policy does not govern), and the label is white or near-black, whichever
 * reads better on it: both are fixed styles.
 */
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
  header: 'margin:0 0 24px;font-size:18px;font-weight:700;color:#1b1b1b;',
  logo: 'display:block;max-height:48px;max-width:240px;margin:0 0 8px;border:0;',
  buttonTable: 'margin:24px 0 12px;border-collapse:separate;',
  buttonCell: 'border-radius:4px;',
  buttonOnDark: `${BUTTON_SHAPE}color:#ffffff;`,
  buttonOnLight: `${BUTTON_SHAPE}color:#111111;`,
  heading: 'margin:28px 0 8px;font-size:17px;font-weight:700;',
  headingLink: 'color:#1b1b1b;text-decoration:none;',
  quoteLtr: 'margin:0 0 12px;padding:4px 0 4px 12px;border-left:3px solid #d0d0c8;color:#333333;',
  quoteRtl: 'margin:0 0 12px;padding:4px 12px 4px 0;border-right:3px solid #d0d0c8;color:#333333;',
  action: 'margin:0 0 20px;',
  actionLink: 'color:#1c4f7c;font-weight:600;',
  footer:
    'margin:32px 0 0;padding:16px 0 0;border-top:1px solid #e4e4de;font-size:12px;color:#6a6a6a;',
  footerLink: 'color:#6a6a6a;',
};

/**
 * Content-Security-Policy sources allowing exactly these inline styles and no other: the dashboard
 * previews mail in a sandboxed frame, which inherits the dashboard's policy (src/server/admin-page.ts).
 */
export const MAIL_STYLE_SOURCES: readonly string[] = [...new Set(Object.values(STYLE))].map(
  (style) => `'sha256-${createHash('sha256').update(style).digest('base64')}'`,
);

const ACCENT = /^#[0-9a-f]{6}$/i;

/** Whether near-black reads better than white on this colour (WCAG relative luminance). */
function isLight(hex: string): boolean {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white (1.05 / (L + 0.05)) against contrast with #111 (≈ (L + 0.05) / 0.056).
  return 1.05 / (luminance + 0.05) < (luminance + 0.05) / 0.0556;
}

interface Layout {
  copy: MailCopy;
  values: Values;
  accent: string | null;
}

function textBlock(block: Block, { copy, values }: Layout): string {
  if (typeof block === 'string') return fillText(block, values);
  if ('quote' in block) {
    return fillText(block.quote, values)
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n');
  }
  if ('heading' in block) return fillText(block.heading, values);
  if ('note' in block) return fillText(block.note, values);
  const href = fillText(block.href, values);
  if ('link' in block) return `${fillText(block.link, values)}\n${href}`;
  if ('action' in block) return `${fillText(block.action, values)}${copy.colon}\n${href}`;
  return `${fillText(block.button, values)}${copy.colon}\n${href}`;
}

/** An address written out: a link when it is a web address, left-to-right in any language. */
function htmlAddress(href: string, style = STYLE.url): string {
  const escaped = escapeHtml(href);
  return isWebLink(href)
    ? `<a href="${escaped}" style="${style}" dir="ltr">${escaped}</a>`
    : `<span dir="ltr">${escaped}</span>`;
}

function htmlButton(label: string, href: string, accent: string | null): string {
  if (!isWebLink(href)) return `<p style="${STYLE.buttonRow}">${label}</p>`;
  const link = escapeHtml(href);
  if (!accent) {
    return `<p style="${STYLE.buttonRow}"><a href="${link}" style="${STYLE.button}">${label}</a></p>`;
  }
  const text = isLight(accent) ? STYLE.buttonOnLight : STYLE.buttonOnDark;
  return (
    `<table role="presentation" cellspacing="0" cellpadding="0" border="0" style="${STYLE.buttonTable}">` +
    `<tr><td bgcolor="${accent}" style="${STYLE.buttonCell}">` +
    `<a href="${link}" style="${text}">${label}</a></td></tr></table>`
  );
}

function htmlBlock(block: Block, { copy, values, accent }: Layout): string {
  if (typeof block === 'string') return `<p style="${STYLE.p}">${fillHtml(block, values)}</p>`;
  if ('quote' in block) {
    const style = copy.dir === 'rtl' ? STYLE.quoteRtl : STYLE.quoteLtr;
    return `<p style="${style}">${fillHtml(block.quote, values)}</p>`;
  }
  if ('heading' in block) {
    const title = fillHtml(block.heading, values);
    const href = block.href === undefined ? '' : fillText(block.href, values);
    return isWebLink(href)
      ? `<p style="${STYLE.heading}"><a href="${escapeHtml(href)}" style="${STYLE.headingLink}">${title}</a></p>`
      : `<p style="${STYLE.heading}">${title}</p>`;
  }
  if ('note' in block) return `<p style="${STYLE.small}">${fillHtml(block.note, values)}</p>`;
  const href = fillText(block.href, values);
  if ('link' in block) {
    return `<p style="${STYLE.p}">${fillHtml(block.link, values)}<br>${htmlAddress(href)}</p>`;
  }
  if ('action' in block) {
    const label = fillHtml(block.action, values);
    return isWebLink(href)
      ? `<p style="${STYLE.action}"><a href="${escapeHtml(href)}" style="${STYLE.actionLink}">${label}</a></p>`
      : `<p style="${STYLE.action}">${label}</p>`;
  }
  return (
    htmlButton(fillHtml(block.button, values), href, accent) +
    `<p style="${STYLE.small}">${escapeHtml(copy.pasteLink)}<br>${htmlAddress(href)}</p>`
  );
}

/**
 * Renders one message. `brand` is who the mail comes from: a name (account mail signs with the
 * product's by default, and has no header), or a publisher (its name and logo at the top, its
 * colour on the button, its sign-off). `footer` adds the one-click unsubscribe link at the foot.
 * Parameters are plain text: they are escaped here, once, for the HTML.
 */
export function renderMail<T extends MailTemplate>(
  template: T,
  locale: string | null,
  params: MailParams[T],
  brand: string | MailBrand = 'Parley',
  footer?: MailFooter,
): RenderedMail {
  const lang = resolveMailLocale(locale);
  const copy = COPY[lang];
  const publisher = typeof brand === 'string' ? null : brand;
  const values: Values = {};
  const slots = toSlots(params, '', '', values, lang) as MailParams[T];
  values.brand = publisher ? publisher.siteName : (brand as string);
  const ownSignoff = publisher?.signoff?.trim() ? publisher.signoff.trim() : null;
  if (ownSignoff) values.signoff = ownSignoff;
  const accent =
    publisher?.accentColor && ACCENT.test(publisher.accentColor)
      ? publisher.accentColor.toLowerCase()
      : null;
  const logo =
    publisher?.logoUrl && /^https:\/\//i.test(publisher.logoUrl) ? publisher.logoUrl : null;

  const build = copy.templates[template] as (p: MailParams[T]) => {
    subject: string;
    body: Block[];
  };
  const message = build(slots);
  const name = (params as { name?: unknown }).name;
  const greeting = copy.greeting(typeof name === 'string' && name.trim() ? slot('name') : null);
  const signoff = ownSignoff ? slot('signoff') : copy.signoff(slot('brand'), values.brand);
  const foot = footer && {
    sentence: copy.footer(copy.lists[footer.list], slot('brand')),
    href: footer.unsubscribeUrl,
  };
  // A subject is one line, whatever a value holds.
  const subject = fillText(message.subject, values).replace(/\s+/g, ' ').trim();
  const layout: Layout = { copy, values, accent };

  const text = [
    fillText(greeting, values),
    ...message.body.map((block) => textBlock(block, layout)),
    fillText(signoff, values),
    ...(foot
      ? [`-- \n${fillText(foot.sentence, values)}\n${copy.unsubscribe}${copy.colon}\n${foot.href}`]
      : []),
  ].join('\n\n');

  const header = publisher
    ? `<div style="${STYLE.header}">` +
      (logo
        ? `<img src="${escapeHtml(logo)}" alt="${escapeHtml(publisher.siteName)}" style="${STYLE.logo}">`
        : '') +
      `<bdi>${escapeHtml(publisher.siteName)}</bdi></div>`
    : '';
  const footerHtml = foot
    ? `<p style="${STYLE.footer}">${fillHtml(foot.sentence, values)}<br>` +
      (isWebLink(foot.href)
        ? `<a href="${escapeHtml(foot.href)}" style="${STYLE.footerLink}">${escapeHtml(copy.unsubscribe)}</a>`
        : escapeHtml(copy.unsubscribe)) +
      `</p>`
    : '';

  const html =
    `<!DOCTYPE html>\n<html lang="${lang}" dir="${copy.dir}">` +
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(subject)}</title></head>` +
    `<body style="${STYLE.body}"><div dir="${copy.dir}" style="${STYLE.card}">` +
    header +
    `<p style="${STYLE.p}">${fillHtml(greeting, values)}</p>` +
    message.body.map((block) => htmlBlock(block, layout)).join('') +
    `<p style="${STYLE.signoff}">${fillHtml(signoff, values)}</p>` +
    footerHtml +
    `</div></body></html>\n`;

  return { locale: lang, subject, text: `${text}\n`, html };
}
