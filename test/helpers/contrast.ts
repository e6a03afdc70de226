/**
 * Contrast of the widget's text as a reader's browser paints it, measured in the page: every
 * visible element with text of its own (and every field showing a value) in the widget's shadow
 * tree, its colour against the background behind it. That background is found by walking up the
 * composed tree (shadow tree, then the host page) and laying each translucent background over the
 * next, down to the first opaque one (or the white canvas). Opacity on the way (as on a busy
 * button) fades the text into it. Text of inactive controls (aria-disabled) is exempt, as WCAG
 * 1.4.3 has it. Large text (24 px, or 18.66 px bold) needs 3:1, other text 4.5:1. Focus
 * indicators: each focusable control is focused as a keyboard user would (so :focus-visible
 * applies), and its outline colour must reach 3:1 against the background around it. Runs in the
 * page (page.evaluate), so it has no imports.
 */

export interface ContrastFailure {
  readonly text: string;
  readonly element: string;
  readonly foreground: string;
  readonly background: string;
  readonly ratio: number;
  readonly required: number;
}

export interface ContrastReport {
  /** How many text elements (and focus indicators) were measured. */
  readonly checked: number;
  readonly focusChecked: number;
  readonly failures: ContrastFailure[];
}

/** Run with page.evaluate(auditContrast, '#parley-comments'). */
export function auditContrast(hostSelector: string): ContrastReport {
  type Rgba = [number, number, number, number];
  const host = document.querySelector(hostSelector);
  const root = host && host.shadowRoot;
  if (!root) throw new Error(`no shadow root on ${hostSelector}`);

  const parse = (colour: string): Rgba => {
    const numbers = (colour.match(/[\d.]+/g) || []).map(Number);
    if (!/^rgba?\(/.test(colour) || numbers.length < 3) {
      throw new Error(`cannot read the colour ${colour}`);
    }
    return [numbers[0]!, numbers[1]!, numbers[2]!, numbers[3] ?? 1];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const alpha = top[3] + bottom[3] * (1 - top[3]);
    if (alpha === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / alpha;
    return [mix(0), mix(1), mix(2), alpha];
  };
  const up = (element: Element): Element | null =>
    element.parentElement ||
    (element.parentNode instanceof ShadowRoot ? element.parentNode.host : null);
  const backgroundOf = (element: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let node: Element | null = element; node; node = up(node)) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== 'none') {
        throw new Error(`a background image behind ${describe(element)}: cannot measure`);
      }
      const colour = parse(style.backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    return layers.reverse().reduce<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const opacityOf = (element: Element): number => {
    let opacity = 1;
    for (let node: Element | null = element; node; node = up(node)) {
      opacity *= Number(getComputedStyle(node).opacity);
    }
    return opacity;
  };
  const luminance = ([r, g, b]: Rgba) => {
    const linear = (value: number) => {
      const c = value / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const ratio = (a: Rgba, b: Rgba) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light! + 0.05) / (dark! + 0.05);
  };
  const css = ([r, g, b]: Rgba) => `rgb(${[r, g, b].map(Math.round).join(', ')})`;
  const describe = (element: Element) =>
    `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).replace(/ +/g, '.')}` : ''}`;
  const visible = (element: Element) => {
    const rect = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return rect.width > 1 && rect.height > 1 && style.visibility === 'visible';
  };
  const inactive = (element: Element) => !!element.closest('[aria-disabled="true"]');

  const failures: ContrastFailure[] = [];
  let checked = 0;
  for (const element of Array.from(root.querySelectorAll('*'))) {
    if (element.tagName === 'STYLE' || element.tagName === 'OPTION') continue;
    const field =
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement ||
      (element instanceof HTMLInputElement && /^(text|email|search|url)$/.test(element.type));
    const text = field
      ? (element as HTMLInputElement).value
      : Array.from(element.childNodes)
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent)
          .join('')
          .trim();
    if (!text || !visible(element) || inactive(element)) continue;
    const style = getComputedStyle(element);
    const background = backgroundOf(element);
    const colour = parse(style.color);
    const foreground = over(
      [colour[0], colour[1], colour[2], colour[3] * opacityOf(element)],
      background,
    );
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const required = large ? 3 : 4.5;
    const measured = ratio(foreground, background);
    checked++;
    if (measured < required) {
      failures.push({
        text: text.slice(0, 40),
        element: describe(element),
        foreground: css(foreground),
        background: css(background),
        ratio: Math.round(measured * 100) / 100,
        required,
      });
    }
  }

  // Focus indicators, drawn outside each control (outline-offset) on what is around it.
  let focusChecked = 0;
  const focusable = Array.from(
    root.querySelectorAll<HTMLElement>('button, select, textarea, input, a[href], [tabindex="0"]'),
  ).filter((element) => visible(element) && !inactive(element));
  for (const element of focusable) {
    element.focus();
    if (root.activeElement !== element) continue;
    const style = getComputedStyle(element);
    if (!element.matches(':focus-visible') || style.outlineStyle === 'none') {
      failures.push({
        text: (element.textContent || '').trim().slice(0, 40),
        element: describe(element),
        foreground: 'no focus indicator',
        background: '',
        ratio: 0,
        required: 3,
      });
      continue;
    }
    const around = backgroundOf(up(element)!);
    const outline = over(parse(style.outlineColor), around);
    const measured = ratio(outline, around);
    focusChecked++;
    if (measured < 3) {
      failures.push({
        text: `focus: ${(element.textContent || '').trim().slice(0, 30)}`,
        element: describe(element),
        foreground: css(outline),
        background: css(around),
        ratio: Math.round(measured * 100) / 100,
        required: 3,
      });
    }
  }
  (document.activeElement as HTMLElement | null)?.blur();
  return { checked, focusChecked, failures };
}
