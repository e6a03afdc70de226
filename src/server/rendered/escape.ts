/**
 * JSON inside a `<script>` element of the server-rendered pages (text and attributes are escaped
 * by src/domain/html.ts).
 */

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
