/**
 * Checks on text that people write (comment bodies, display names, report notes).
 * Text is stored as written; these checks refuse what is only there to deceive: control
 * characters, broken UTF-16, bidi overrides ("Trojan Source"), runs of invisible characters,
 * smuggled tag or variation-selector runs and Zalgo-style stacks of combining marks.
 * Legitimate script needs pass: a single ZWJ in emoji, ZWNJ in Persian, LRM/RLM in mixed
 * Arabic/Hebrew and Latin text, Hebrew niqqud and Arabic harakat.
 */
import { ParleyError } from './errors.ts';

// With the `u` flag a well-formed pair is one code point, so this matches only lone halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/;
const INVISIBLE = '\u200B-\u200F\u2060-\u2064\uFEFF\u061C\u180E\u034F\u115F\u1160\u3164\uFFA0';
const INVISIBLE_RUN = new RegExp(`[${INVISIBLE}]{2,}`);
// Variation selectors are invisible too, but sit legitimately beside a ZWJ in emoji (❤️‍🔥), so they
// count only here, never in a run.
const ONLY_INVISIBLE_OR_SPACE = new RegExp(
  `^[\\s${INVISIBLE}\\uFE00-\\uFE0F\\u{E0100}-\\u{E01EF}]*$`,
  'u',
);
// A subdivision flag: black flag, 3 to 7 tag letters or digits, cancel tag. Anything else made of tag
// characters is text hidden from the reader.
const FLAG_TAG_SEQUENCE = /\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{3,7}\u{E007F}/gu;
const TAG_CHARACTER = /[\u{E0000}-\u{E007F}]/u;
const VARIATION_SELECTOR_RUN = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]{2,}/u;
const COMBINING_MARK_RUN = /\p{M}{9,}/u;

export interface TextRules {
  /** Name of the field, used in messages ("comment", "display name"). */
  field: string;
  maxLength: number;
  multiline: boolean;
}

/** Throws a ParleyError for text that is empty, too long or uses Unicode to deceive. */
export function checkText(raw: string, rules: TextRules): string {
  const text = raw.replace(/\r\n?/g, '\n');
  if (LONE_SURROGATE.test(text)) {
    throw new ParleyError('INVALID_UNICODE', `The ${rules.field} contains broken Unicode.`);
  }
  if (CONTROL.test(text) || (!rules.multiline && /[\n\t]/.test(text))) {
    throw new ParleyError(
      'INVALID_UNICODE',
      `The ${rules.field} contains control characters that are not allowed.`,
    );
  }
  if (BIDI_OVERRIDE.test(text)) {
    throw new ParleyError(
      'INVALID_UNICODE',
      `The ${rules.field} contains bidirectional override characters, which can disguise text.`,
    );
  }
  if (INVISIBLE_RUN.test(text)) {
    throw new ParleyError(
      'INVALID_UNICODE',
      `The ${rules.field} contains a run of invisible (zero-width) characters.`,
    );
  }
  if (
    TAG_CHARACTER.test(text.replace(FLAG_TAG_SEQUENCE, '')) ||
    VARIATION_SELECTOR_RUN.test(text)
  ) {
    throw new ParleyError('INVALID_UNICODE', `The ${rules.field} contains hidden characters.`);
  }
  if (COMBINING_MARK_RUN.test(text)) {
    throw new ParleyError(
      'INVALID_UNICODE',
      `The ${rules.field} stacks too many combining marks on one character.`,
    );
  }
  if (ONLY_INVISIBLE_OR_SPACE.test(text)) {
    throw new ParleyError('EMPTY_TEXT', `The ${rules.field} is empty.`);
  }
  const length = [...text].length;
  if (length > rules.maxLength) {
    throw new ParleyError(
      'TEXT_TOO_LONG',
      `The ${rules.field} is ${length} characters long; the limit is ${rules.maxLength}.`,
    );
  }
  return rules.multiline ? text.trim() : text.trim().replace(/\s+/g, ' ');
}
