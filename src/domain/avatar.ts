/**
 * A comment author's initials and the colour behind them, when they have no picture: drawn the
 * same by the widget (web/embed/src/ui/Avatar.tsx) and the server-rendered thread
 * (src/server/rendered/markup.ts), which the widget takes over without redrawing.
 */

/** Each keeps at least 4.5:1 contrast with white text (checked in test/browser/reader-features). */
export const AVATAR_COLOURS = [
  '#b3261e',
  '#ad1457',
  '#6a1b9a',
  '#283593',
  '#1565c0',
  '#00695c',
  '#2e7d32',
  '#8d4a00',
];

/** The first letter (with its combining marks) of the first and last words, in any script. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/);
  const letter = (word = '') => (/[\p{L}\p{N}]\p{M}*/u.exec(word) || [''])[0].toUpperCase();
  return letter(words[0]) + (words.length > 1 ? letter(words[words.length - 1]) : '');
}

/** The same name always gets the same colour: its place in AVATAR_COLOURS. */
export function avatarColourIndex(name: string): number {
  let hash = 0;
  for (const char of name) hash = (Math.imul(hash, 31) + (char.codePointAt(0) as number)) | 0;
  return Math.abs(hash) % AVATAR_COLOURS.length;
}

export function avatarColour(name: string): string {
  return AVATAR_COLOURS[avatarColourIndex(name)] as string;
}

/**
 * The palette as rules for the server-rendered thread, whose avatars name their colour by index
 * (`data-colour`) rather than in a style attribute: a publisher's Content-Security-Policy without
 * 'unsafe-inline' blocks style attributes written in HTML (the widget's, set by script, pass).
 */
export function avatarPaletteCss(scope: string): string {
  return AVATAR_COLOURS.map(
    (colour, i) => `${scope} .avatar[data-colour="${i}"]{background:${colour};color:#fff}`,
  ).join('');
}
