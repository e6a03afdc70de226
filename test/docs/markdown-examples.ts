/**
 * The HTTP examples of Parley's documentation, read from its Markdown, and the rule that says
 * whether the server's answer is the one an example documents (test/docs/examples.test.ts sends
 * them to a running server).
 *
 * An example is a fenced `http` block holding a request (request line, headers, a blank line, a
 * body) followed, before any other fenced block, by a fenced `http` block holding the answer
 * (status line, headers, a blank line, a body):
 *
 *     ```http
 *     POST /api/v1/auth/signup
 *     Content-Type: application/json
 *
 *     { "displayName": "Rana", "email": "rana@example.com", "password": "…" }
 *     ```
 *
 *     ```http
 *     HTTP/1.1 202 Accepted
 *
 *     { "status": "verification_sent" }
 *     ```
 *
 * `{name}` is a placeholder: in a request it is replaced by a value the test seeded or an earlier
 * answer in the same file gave; in an answer it takes the value found there (or, already known,
 * must equal it). In an answer `…` inside a string stands for any text, an ISO 8601 date or time
 * for any date or time, a number with a fraction (a score, 0.93) for any number; an object with
 * the key `"…"` may hold keys it does not show, and an array whose last item is `"…"` more items.
 * Every other key, string, whole number, boolean and null is compared as written. An example that cannot run
 * here is preceded by `<!-- example: not-run (why) -->`.
 */

export interface HttpMessage {
  /** The request line (`POST /api/v1/auth/signup`) or status line (`HTTP/1.1 202 Accepted`). */
  start: string;
  headers: [name: string, value: string][];
  body: string;
}

export interface DocExample {
  file: string;
  /** The line of the request's opening fence, counted from 1. */
  line: number;
  request: HttpMessage;
  response: HttpMessage;
  /** Why it is not run, when the Markdown says so. */
  notRun?: string;
}

export type Bindings = Map<string, unknown>;

interface FencedBlock {
  info: string;
  line: number;
  text: string;
  /** The Markdown between the previous fenced block (or the start) and this one. */
  before: string;
}

/** Fenced code blocks, with indentation (list items) removed. */
function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  let proseStart = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim().startsWith(fence!) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent!) ? line.slice(indent!.length) : line.trimStart());
    }
    blocks.push({
      info: info!,
      line: i + 1,
      text: body.join('\n'),
      before: lines.slice(proseStart, i).join('\n'),
    });
    i = j;
    proseStart = j + 1;
  }
  return blocks;
}

function parseMessage(text: string): HttpMessage {
  const lines = text.replace(/^\n+/, '').split('\n');
  const start = lines.shift()!.trim();
  const headers: [string, string][] = [];
  while (lines.length > 0 && lines[0]!.trim() !== '') {
    const header = /^([\w-]+):\s*(.*)$/.exec(lines.shift()!.trim());
    if (!header) throw new Error(`not a header line in "${start}"`);
    headers.push([header[1]!, header[2]!]);
  }
  return { start, headers, body: lines.join('\n').trim() };
}

const REQUEST_LINE = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\S+)$/;
const STATUS_LINE = /^HTTP\/1\.1 (\d{3}) (.+)$/;
const NOT_RUN = /<!--\s*example:\s*not-run\s*\(([^)]*)\)\s*-->/;

/** Every example of one Markdown file, in order; throws on a request without an answer. */
export function readExamples(file: string, markdown: string): DocExample[] {
  const blocks = fencedBlocks(markdown);
  const examples: DocExample[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.info !== 'http') continue;
    const request = parseMessage(block.text);
    if (!REQUEST_LINE.test(request.start)) {
      throw new Error(
        `${file}:${block.line}: an http block that is not a request: ${request.start}`,
      );
    }
    const next = blocks[i + 1];
    const response = next?.info === 'http' ? parseMessage(next.text) : undefined;
    if (!response || !STATUS_LINE.test(response.start)) {
      throw new Error(`${file}:${block.line}: ${request.start} is not followed by its answer`);
    }
    const notRun = NOT_RUN.exec(block.before)?.[1];
    examples.push({
      file,
      line: block.line,
      request,
      response,
      ...(notRun !== undefined && { notRun }),
    });
    i++;
  }
  return examples;
}

export function requestLine(example: DocExample): { method: string; target: string } {
  const [, method, target] = REQUEST_LINE.exec(example.request.start)!;
  return { method: method!, target: target! };
}

export function statusLine(example: DocExample): { status: number; reason: string } {
  const [, status, reason] = STATUS_LINE.exec(example.response.start)!;
  return { status: Number(status), reason: reason! };
}

/** `METHOD /path` named in running text and tables (code spans), outside fenced blocks. */
export function mentionedRoutes(markdown: string): { method: string; path: string }[] {
  const prose = markdown.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\s*\2\s*$/gm, '');
  const found: { method: string; path: string }[] = [];
  const inCode = /`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]+)[^`]*`/g;
  const inTable = /^\|\s*(GET|POST|PUT|PATCH|DELETE)\s*\|\s*`(\/[^`\s]+)[^`]*`/gm;
  for (const pattern of [inCode, inTable]) {
    for (const [, method, path] of prose.matchAll(pattern)) {
      found.push({ method: method!, path: path!.split('?')[0]! });
    }
  }
  return found;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
const WHOLE_PLACEHOLDER = /^\{([A-Za-z][A-Za-z0-9]*)\}$/;

/** Replaces placeholders in text (`encode` for a URL); an unknown one throws. */
export function fillText(
  text: string,
  bindings: Bindings,
  encode: (value: string) => string = (value) => value,
): string {
  return text.replace(PLACEHOLDER, (_, name: string) => encode(String(known(bindings, name))));
}

function known(bindings: Bindings, name: string): unknown {
  if (!bindings.has(name)) throw new Error(`{${name}} is neither seeded nor in an earlier answer`);
  return bindings.get(name);
}

/** Replaces placeholders in a JSON value: a string that is one placeholder takes its value. */
export function fillJson(value: unknown, bindings: Bindings): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(value);
    return whole ? known(bindings, whole[1]!) : fillText(value, bindings);
  }
  if (Array.isArray(value)) return value.map((item) => fillJson(item, bindings));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, fillJson(item, bindings)]),
    );
  }
  return value;
}

const ISO_TIME = /^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d{1,3})?Z)?$/;
/** As a key, or an array's last item: there is more than is shown. */
const MORE = '…';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether `actual` is a string the documented pattern allows: `…` is any text, a known
 * placeholder its value, an unknown one any text, which it then takes.
 */
export function matchesText(documented: string, actual: string, bindings: Bindings): boolean {
  const captured: string[] = [];
  const parts = documented.split(/(…|\{[A-Za-z][A-Za-z0-9]*\})/);
  const source = parts
    .map((part, index) => {
      if (index % 2 === 0) return escapeRegExp(part);
      if (part === '…') return '[\\s\\S]*?';
      const name = part.slice(1, -1);
      if (bindings.has(name)) return escapeRegExp(String(bindings.get(name)));
      captured.push(name);
      return '([\\s\\S]+?)';
    })
    .join('');
  const match = new RegExp(`^${source}$`).exec(actual);
  if (!match) return false;
  captured.forEach((name, index) => bindings.set(name, match[index + 1]));
  return true;
}

const typeOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/**
 * The differences between a documented JSON answer and the actual one, each naming its place
 * (`$.comment.author.id`); placeholders met on the way are bound.
 */
export function compareJson(
  documented: unknown,
  actual: unknown,
  bindings: Bindings,
  path = '$',
): string[] {
  const shown = (value: unknown) => JSON.stringify(value)?.slice(0, 200);
  if (typeof documented === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(documented);
    if (whole) {
      const name = whole[1]!;
      if (!bindings.has(name)) {
        bindings.set(name, actual);
        return [];
      }
      const known = bindings.get(name);
      return JSON.stringify(known) === JSON.stringify(actual)
        ? []
        : [`${path}: documented {${name}} = ${shown(known)}, answered ${shown(actual)}`];
    }
    if (typeof actual !== 'string') {
      return [`${path}: documented a string, answered ${shown(actual)}`];
    }
    if (ISO_TIME.test(documented)) {
      return ISO_TIME.test(actual)
        ? []
        : [`${path}: documented a date or time, answered ${shown(actual)}`];
    }
    return matchesText(documented, actual, bindings)
      ? []
      : [`${path}: documented ${shown(documented)}, answered ${shown(actual)}`];
  }
  if (typeof documented === 'number') {
    const matches = Number.isInteger(documented)
      ? documented === actual
      : typeof actual === 'number';
    return matches ? [] : [`${path}: documented ${documented}, answered ${shown(actual)}`];
  }
  if (documented === null || typeof documented === 'boolean') {
    return documented === actual
      ? []
      : [`${path}: documented ${shown(documented)}, answered ${shown(actual)}`];
  }
  if (Array.isArray(documented)) {
    if (!Array.isArray(actual)) return [`${path}: documented an array, answered ${shown(actual)}`];
    const more = documented.at(-1) === MORE;
    const items = more ? documented.slice(0, -1) : documented;
    if (more ? actual.length < items.length : actual.length !== items.length) {
      return [
        `${path}: documented ${items.length}${more ? ' or more' : ''} items, answered ${actual.length}: ${shown(actual)}`,
      ];
    }
    return items.flatMap((item, index) =>
      compareJson(item, actual[index], bindings, `${path}[${index}]`),
    );
  }
  if (typeOf(actual) !== 'object') {
    return [`${path}: documented an object, answered ${shown(actual)}`];
  }
  const documentedObject = documented as Record<string, unknown>;
  const actualObject = actual as Record<string, unknown>;
  const differences: string[] = [];
  for (const [key, value] of Object.entries(documentedObject)) {
    if (key === MORE) continue;
    if (!(key in actualObject)) differences.push(`${path}.${key}: documented, not answered`);
    else differences.push(...compareJson(value, actualObject[key], bindings, `${path}.${key}`));
  }
  if (!(MORE in documentedObject)) {
    for (const key of Object.keys(actualObject)) {
      if (!(key in documentedObject)) {
        differences.push(`${path}.${key}: answered ${shown(actualObject[key])}, not documented`);
      }
    }
  }
  return differences;
}

/**
 * Whether an OpenAPI path template (`/api/v1/stories/{storyId}`) names the documented path, whose
 * segments may be values or placeholders of other names.
 */
export function templateMatches(template: string, path: string): boolean {
  const source = template
    .split(/\{[^}]+\}/)
    .map(escapeRegExp)
    .join('[^/]+');
  return new RegExp(`^${source}$`).test(path);
}
