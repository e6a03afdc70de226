/**
 * A publisher's brand as Parley shows it (docs/notifications.md, "Mail"): the logo and accent
 * colour of its mail (and of the widget and account pages), the community guidelines a rejected
 * author is pointed to, the name mail is sent under and the words it is signed with. Stored as JSON
 * in `sites.branding`, every key optional.
 *
 * Two readings, on purpose: what is stored is read forgivingly (a value of the wrong shape, or one
 * written by hand that would not pass the checks, is simply "not set", so a broken column never
 * breaks a mail), and what an admin sends is checked strictly (a clear 400 naming the field).
 */
import { ParleyError } from './errors.ts';
import { storedRecord } from './stored-settings.ts';
import { checkText } from './text.ts';

export interface Branding {
  /** An https image shown at the top of every mail (alt text: the site's name). */
  logoUrl: string | null;
  /** `#rrggbb`, lower case: the colour of the mail's main button. */
  accentColor: string | null;
  /** An https page of the site's community guidelines (linked from a rejection). */
  guidelinesUrl: string | null;
  /** The name mail is sent under (`From: "<senderName>" <MAIL_FROM's address>`); default the site's name. */
  senderName: string | null;
  /** The last line of every mail; default the copy's own ("The <site> team"). */
  signoff: string | null;
}

export const EMPTY_BRANDING: Branding = {
  logoUrl: null,
  accentColor: null,
  guidelinesUrl: null,
  senderName: null,
  signoff: null,
};

export const BRANDING_LIMITS = { url: 2000, senderName: 80, signoff: 200 } as const;

const ACCENT = /^#[0-9a-f]{6}$/i;
/** Characters no name or sign-off needs: controls, line breaks, bidi embeddings, overrides, isolates. */
const UNSAFE_IN_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

/** An absolute https address without user information, or null. */
function httpsUrl(value: string): string | null {
  if (value.length > BRANDING_LIMITS.url || /\s/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return null;
  return url.href;
}

function line(value: string, max: number): string | null {
  const trimmed = value.trim();
  if (trimmed === '' || UNSAFE_IN_LINE.test(trimmed) || [...trimmed].length > max) return null;
  return trimmed;
}

/** The stored branding (a JSON string or a parsed value); anything unusable counts as not set. */
export function readBranding(stored: unknown): Branding {
  const raw = storedRecord(stored);
  const text = (key: keyof Branding) => (typeof raw[key] === 'string' ? raw[key] : null);
  const logo = text('logoUrl');
  const accent = text('accentColor');
  const guidelines = text('guidelinesUrl');
  const sender = text('senderName');
  const signoff = text('signoff');
  return {
    logoUrl: logo === null ? null : httpsUrl(logo),
    accentColor: accent !== null && ACCENT.test(accent) ? accent.toLowerCase() : null,
    guidelinesUrl: guidelines === null ? null : httpsUrl(guidelines),
    senderName: sender === null ? null : line(sender, BRANDING_LIMITS.senderName),
    signoff: signoff === null ? null : line(signoff, BRANDING_LIMITS.signoff),
  };
}

/** A change an admin asks for: a key left out keeps its value, null (or "") removes it. */
export type BrandingPatch = { [K in keyof Branding]?: string | null };

const invalid = (message: string) => new ParleyError('VALIDATION_FAILED', message);

function checkUrl(field: string, value: string): string {
  if (value.length > BRANDING_LIMITS.url) {
    throw invalid(`The ${field} is longer than ${BRANDING_LIMITS.url} characters.`);
  }
  const url = httpsUrl(value.trim());
  if (!url) {
    throw invalid(
      `The ${field} must be an absolute https:// address (mail clients and the dashboard load nothing else).`,
    );
  }
  return url;
}

function checkLine(field: string, value: string, max: number): string {
  // The shared checks on written text (broken Unicode, bidi overrides, invisible runs, length)…
  const checked = checkText(value, { field, maxLength: max, multiline: false }).trim();
  // …and what a mail header must not carry either.
  if (UNSAFE_IN_LINE.test(checked)) {
    throw new ParleyError(
      'INVALID_UNICODE',
      `The ${field} contains control or direction characters.`,
    );
  }
  return checked;
}

/** Applies an admin's change to the current branding, refusing anything that is not well formed. */
export function mergeBranding(current: Branding, patch: BrandingPatch): Branding {
  const next = { ...current };
  const given = (key: keyof Branding): string | null | undefined => {
    const value = patch[key];
    if (value === undefined) return undefined;
    return value === null || value.trim() === '' ? null : value;
  };
  const logo = given('logoUrl');
  if (logo !== undefined) next.logoUrl = logo === null ? null : checkUrl('logo address', logo);
  const guidelines = given('guidelinesUrl');
  if (guidelines !== undefined) {
    next.guidelinesUrl = guidelines === null ? null : checkUrl('guidelines address', guidelines);
  }
  const accent = given('accentColor');
  if (accent !== undefined) {
    if (accent !== null && !ACCENT.test(accent.trim())) {
      throw invalid('The accent colour must be written #rrggbb (six hexadecimal digits).');
    }
    next.accentColor = accent === null ? null : accent.trim().toLowerCase();
  }
  const sender = given('senderName');
  if (sender !== undefined) {
    next.senderName =
      sender === null ? null : checkLine('sender name', sender, BRANDING_LIMITS.senderName);
  }
  const signoff = given('signoff');
  if (signoff !== undefined) {
    next.signoff =
      signoff === null ? null : checkLine('sign-off', signoff, BRANDING_LIMITS.signoff);
  }
  return next;
}

/** What is stored: only the keys that are set. */
export function storedBranding(branding: Branding): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(branding).filter(([, value]) => value !== null)),
  );
}
