/**
 * Escaping text for HTML: Parley's one escaper for the pages the server writes (the rendered
 * thread, its plain and AMP pages, profile and account pages). Comment HTML is sanitised once,
 * when it is written (src/domain/markdown.ts), and goes out as stored; everything else a stranger
 * wrote (names, titles, addresses) goes through `escapeHtml`.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value (double or single quoted) made inert. */
export const escapeHtml = (value: string | number): string =>
  String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
