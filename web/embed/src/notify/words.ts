/**
 * What a notification says, in the reader's language: the sentence of its kind with the name of
 * whoever wrote, the label of a moderator's reason, the link that opens its comment. Templates mark
 * where a name or title goes ({name}, {title}, {text}); `fill` puts text or elements there.
 */
import { EMAIL_NOT_VERIFIED, NETWORK_ERROR, WARNED } from '../api/client.js';
import type { NotificationItem } from '../api/types.js';
import type { Messages } from '../i18n.js';
import type { NotifyMessages } from './i18n/en.js';

const PLACEHOLDER = /(\{\w+\})/;

/** The pieces of `template` with each {key} replaced by parts[key] (left as it is if unknown). */
export function fill<Part>(template: string, parts: Record<string, Part>): (string | Part)[] {
  return template
    .split(PLACEHOLDER)
    .filter((piece) => piece !== '')
    .map((piece) => {
      const key = piece.slice(1, -1);
      return PLACEHOLDER.test(piece) && key in parts ? (parts[key] as Part) : piece;
    });
}

/** The template filled with text only. */
export const fillText = (template: string, parts: Record<string, string>): string =>
  fill(template, parts).join('');

/** The sentence of a notification as plain text ("Amal replied to your comment"). */
export function sentence(item: NotificationItem, t: NotifyMessages): string {
  return fillText(t.what[item.kind] || t.what.reply, { name: item.actorName || t.someone });
}

/** The label of a moderator's reason code (SPAM, OFF_TOPIC…), or the code itself. */
export function reasonLabel(code: string, reasons: Readonly<Record<string, string>>): string {
  return reasons[code.toLowerCase()] || code;
}

/** The address that opens the comment in its article: the widget there scrolls to it. */
export function permalink(item: Pick<NotificationItem, 'storyUrl' | 'commentId'>): string {
  return `${item.storyUrl.split('#')[0]}#parley-comment-${item.commentId}`;
}

/**
 * A failed request as the reader should read it (the widget's ApiError is another copy of the
 * class in this module: its code is read, not its class). Nothing for a moderator's warning to
 * acknowledge or an address to confirm: the comment form shows those itself, with their buttons.
 */
export function errorText(failure: unknown, t: Messages): string {
  const { code, message } = (failure || {}) as { code?: unknown; message?: unknown };
  if (code === NETWORK_ERROR) return t.networkError;
  if (code === WARNED || code === EMAIL_NOT_VERIFIED) return '';
  return (typeof code === 'string' && typeof message === 'string' && message) || t.unknownError;
}
