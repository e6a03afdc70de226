/**
 * Colour contrast as WCAG 2 defines it, for colours a publisher chooses (src/domain/branding.ts):
 * a brand colour is used behind white text only where the two stay readable.
 */

const HEX = /^#[0-9a-f]{6}$/i;

/** Relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const channel = (offset: number) => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG AA for normal text. */
export const MIN_TEXT_CONTRAST = 4.5;

/**
 * The accent colour to draw main buttons in (white text on it, and it as text on white), or null
 * when there is none or it is too light or too close to white to read: the page's own colour then.
 */
export function readableAccent(accent: string | null | undefined): string | null {
  if (!accent || !HEX.test(accent)) return null;
  return contrastRatio(accent, '#ffffff') >= MIN_TEXT_CONTRAST ? accent.toLowerCase() : null;
}
