/**
 * Display names: what a person is shown as beside their comments. One limit for every way a name
 * arrives (sign-up, a profile change, an identity provider's profile, an import).
 */
import { checkText } from './text.ts';

export const DISPLAY_NAME_MAX = 50;

/** A name a person typed, checked like any text they write; refuses (ParleyError) what is not. */
export const checkDisplayName = (raw: string): string =>
  checkText(raw, { field: 'display name', maxLength: DISPLAY_NAME_MAX, multiline: false });
