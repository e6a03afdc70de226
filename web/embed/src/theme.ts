/**
 * The widget's light or dark theme, set as a class on the element that holds it in its shadow root
 * (ui/widget.css gives each theme its colours). The publisher forces one with data-theme="light" or
 * "dark". By default ("auto") the widget follows what the page shows behind it: the first opaque
 * background among the container and its ancestors, dark when its relative luminance is below
 * 0.18 (where white and black text contrast equally with it). When that background is a mid-tone
 * on which neither theme's grey text would reach 4.5:1, or when no ancestor paints one (the page's
 * canvas shows through), the widget paints its own background ("painted"), and with none at all the
 * reader's prefers-color-scheme decides. A forced theme is always painted. It is read again when
 * the reader's preference changes or the page changes its root's or body's class or style (a
 * site's own dark mode switch). Kept small: it is in embed.js, before the first paint.
 */
import type { ThemeChoice } from './config.js';

export function followTheme(root: HTMLElement, host: Element, choice: ThemeChoice): void {
  const media = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    // The relative luminance of the background behind the widget; -1 when none is opaque.
    let luminance = -1;
    for (let node: Element | null = host; choice == 'auto' && node && luminance < 0;) {
      // "rgb(r, g, b)" or "rgba(r, g, b, a)", the form browsers give sRGB colours in, or, for a
      // colour written so, oklch() or oklab() (lightness 0 to 1) or lab() or lch() (0 to 100),
      // whose lightness gives the luminance of a grey as light.
      const colour = getComputedStyle(node).backgroundColor;
      const [r, g, b, alpha = 1] = (colour.match(/[\d.]+/g) || [0, 0, 0, 0]).map(Number);
      if (alpha > 0) {
        luminance = /^ok/.test(colour)
          ? r! ** 3
          : /^l/.test(colour)
            ? ((r! + 16) / 116) ** 3
            : 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
      }
      node = node.parentElement;
    }
    const dark =
      luminance < 0 ? (choice == 'auto' ? media.matches : choice == 'dark') : luminance < 0.18;
    const painted = luminance < 0.63 && (luminance < 0 || luminance > 0.06);
    root.className = `theme ${dark ? 'dark' : 'light'}${painted ? ' painted' : ''}`;
  };
  apply();
  media.onchange = apply;
  const observer = new MutationObserver(apply);
  observer.observe(document.documentElement, { attributes: true });
  observer.observe(document.body, { attributes: true });
}

/** An sRGB channel (0 to 255) as linear light (the curve's short linear part left out). */
const linear = (value: number) => ((value / 255 + 0.055) / 1.055) ** 2.4;
