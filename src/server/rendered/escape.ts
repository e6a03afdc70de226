/**
 * Escaping for the server-rendered pages: text and attribute values in HTML, and JSON inside a
 * `<script>` element. Comment HTML is sanitised once, when it is written (src/domain/markdown.ts),
 * and goes out as stored; everything else a stranger wrote (names, titles, addresses) goes through
 * `escapeHtml` here.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value (double or single quoted) made inert. */
export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);

const SCRIPT_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON to put between `<script type="application/...json">` and `</script>`: the characters that
 * could end the element (`</script>`), open a comment (`<!--`) or an entity, and the two line
 * separators older JavaScript parsers refuse, written as `\u` escapes. `JSON.parse` of the element's
 * text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_ESCAPES[c] as string);
}
