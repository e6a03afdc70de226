/**
 * Commento's data export (the gzipped JSON it mails a link to; Commento++ and Comentario before
 * version 3 write the same), and Comentario 3's. Both are one JSON document, so the file cannot be
 * read a line at a time; it is tokenized as a stream (stream-json) instead, and only one comment
 * or commenter is ever held whole. The file may be gzipped or not.
 *
 * Version 1 (Commento's api/domain_export.go; the fields are its `comment` and `commenter` types):
 *
 *     {"version": 1,
 *      "comments": [{"commentHex", "domain", "url" (the page's path), "commenterHex" ("anonymous"
 *                    for guests), "markdown", "html" (empty in exports), "parentHex" ("root" at
 *                    top level), "score", "state", "creationDate", "deleted" (newer versions)}],
 *      "commenters": [{"commenterHex", "email", "name", "link", "photo", "provider", "joinDate"}]}
 *
 * States: `approved`; `unapproved` (held for moderation) is pending; `flagged` is what Commento
 * sets when Akismet calls a comment spam, so spam. Pages are `https://` + domain + path.
 *
 * Version 3 (Comentario's `comentarioExportV3` and the swagger definitions of its models):
 *
 *     {"version": 3,
 *      "pages": [{"id", "path", "title", "isReadonly", "createdTime"}],
 *      "comments": [{"id", "parentId", "pageId", "markdown", "score", "isApproved", "isPending",
 *                    "isDeleted", "createdTime", "userCreated", "authorName"}],
 *      "commenters": [{"id", "email", "name", "websiteUrl"}]}
 *
 * It names no host, so its stories have a path as identifier and no address (the importer's
 * story map or base URL gives them one). A comment neither approved nor pending was rejected: spam.
 *
 * Commenters come after the comments in both, and every comment needs its author. So the file is
 * read twice: a first pass keeps only the commenters (a Map: a site has far fewer commenters than
 * comments; Commento lists a commenter once per comment, the Map keeps one) and checks the whole
 * document is well formed before anything is imported; the second pass yields stories and
 * comments. Progress counts both passes, so totalBytes is twice the file's size. Byte offsets in
 * errors are in the decompressed document and name the 4 KiB slice the parser was reading.
 */
import fs from 'node:fs';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import Assembler from 'stream-json/assembler.js';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import {
  ImportFormatError,
  type ReaderProgress,
  type SourceAuthor,
  type SourceItem,
  type SourceState,
  type SourceStory,
} from '../records.ts';
import { httpUrl, isRecord, parseIsoDate, readSourceBytes, text } from './source.ts';

const SLICE_BYTES = 4096;
/** Comentario's anonymous user, whose comments carry the name typed in `authorName`. */
const COMENTARIO_ANONYMOUS = '00000000-0000-0000-0000-000000000000';

type DocumentEvent =
  | { kind: 'scalar'; key: string; value: unknown }
  | { kind: 'element'; key: string; index: number; value: unknown };

interface Commenter {
  name: string | null;
  email: string | null;
}

export async function* readCommento(
  path: string,
  progress: ReaderProgress,
): AsyncGenerator<SourceItem> {
  progress.totalBytes = 2 * (await fs.promises.stat(path)).size;
  progress.bytesRead = 0;
  const onBytes = (count: number): void => void (progress.bytesRead += count);

  let version: unknown = undefined;
  const commenters = new Map<string, Commenter>();
  for await (const event of walkDocument(path, onBytes, new Set(['commenters']))) {
    if (event.kind === 'scalar' && event.key === 'version') version = event.value;
    if (event.kind !== 'element' || !isRecord(event.value)) continue;
    const id = text(event.value.commenterHex) ?? text(event.value.id);
    if (id) commenters.set(id, { name: text(event.value.name), email: text(event.value.email) });
  }
  if (version !== 1 && version !== 3) {
    throw new ImportFormatError(
      version === undefined
        ? 'Expected a Commento or Comentario export: the document has no "version"'
        : `Export version ${String(version)} is not supported (1: Commento, 3: Comentario)`,
    );
  }

  const seenPages = new Set<string>();
  const arrays = new Set(version === 3 ? ['pages', 'comments'] : ['comments']);
  for await (const event of walkDocument(path, onBytes, arrays)) {
    if (event.kind !== 'element') continue;
    const where = `${event.key}[${event.index}]`;
    if (event.key === 'pages') {
      yield comentarioPage(event.value, where);
    } else if (version === 3) {
      yield comentarioComment(event.value, where, commenters);
    } else {
      yield* commentoComment(event.value, where, commenters, seenPages);
    }
  }
}

function* commentoComment(
  value: unknown,
  where: string,
  commenters: Map<string, Commenter>,
  seenPages: Set<string>,
): Generator<SourceItem> {
  const c = isRecord(value) ? value : {};
  const id = text(c.commentHex);
  const domain = text(c.domain);
  const createdAt = parseIsoDate(c.creationDate);
  if (!id || !domain || !createdAt) {
    const missing = !id ? 'commentHex' : !domain ? 'domain' : 'valid creationDate';
    yield invalid(id ?? '', `${where}: no ${missing}`);
    return;
  }
  const path = typeof c.url === 'string' ? c.url : '';
  const page = `${domain}${path}`;
  if (!seenPages.has(page)) {
    seenPages.add(page);
    const url = httpUrl(`https://${page}`);
    yield { kind: 'story', story: story(page, url, path || '/', null, false, null) };
  }
  const state = commentoState(c);
  if (!state) {
    yield invalid(id, `${where}: unknown state ${String(c.state)}`);
    return;
  }
  const markdown = typeof c.markdown === 'string' ? c.markdown : '';
  const html = typeof c.html === 'string' ? c.html : '';
  if (state !== 'deleted' && !markdown.trim() && !html.trim()) {
    yield { kind: 'skip', reason: 'empty_body', sourceId: id, detail: `${where}: empty markdown` };
    return;
  }
  const parent = text(c.parentHex);
  yield {
    kind: 'comment',
    comment: {
      sourceId: id,
      storySourceId: page,
      parentSourceId: parent === 'root' ? null : parent,
      author: author(text(c.commenterHex), null, commenters),
      createdAt,
      body:
        markdown.trim() || !html.trim()
          ? { format: 'markdown', value: markdown }
          : { format: 'html', value: html },
      state,
      likes: positive(c.score),
      ip: null,
    },
  };
}

function commentoState(c: Record<string, unknown>): SourceState | null {
  if (c.deleted === true) return 'deleted';
  switch (c.state) {
    case 'approved':
      return 'approved';
    case 'unapproved':
      return 'pending';
    case 'flagged':
      return 'spam';
    default:
      return null;
  }
}

function comentarioPage(value: unknown, where: string): SourceItem {
  const p = isRecord(value) ? value : {};
  const id = text(p.id);
  if (!id) return invalid('', `${where}: a page without an id`);
  const path = typeof p.path === 'string' ? p.path : '/';
  const created = parseIsoDate(p.createdTime);
  return {
    kind: 'story',
    story: story(id, null, path, text(p.title), p.isReadonly === true, created),
  };
}

function comentarioComment(
  value: unknown,
  where: string,
  commenters: Map<string, Commenter>,
): SourceItem {
  const c = isRecord(value) ? value : {};
  const id = text(c.id);
  const pageId = text(c.pageId);
  const createdAt = parseIsoDate(c.createdTime);
  if (!id || !pageId || !createdAt) {
    const missing = !id ? 'id' : !pageId ? 'pageId' : 'valid createdTime';
    return invalid(id ?? '', `${where}: no ${missing}`);
  }
  const state: SourceState =
    c.isDeleted === true
      ? 'deleted'
      : c.isApproved === true
        ? 'approved'
        : c.isPending === true
          ? 'pending'
          : 'spam';
  const markdown = typeof c.markdown === 'string' ? c.markdown : '';
  if (state !== 'deleted' && !markdown.trim()) {
    return { kind: 'skip', reason: 'empty_body', sourceId: id, detail: `${where}: empty markdown` };
  }
  return {
    kind: 'comment',
    comment: {
      sourceId: id,
      storySourceId: pageId,
      parentSourceId: text(c.parentId),
      author: author(text(c.userCreated), text(c.authorName), commenters),
      createdAt,
      body: { format: 'markdown', value: markdown },
      state,
      likes: positive(c.score),
      ip: null,
    },
  };
}

/** Guests ("anonymous", or Comentario's zero id) are one profile per name they typed. */
function author(
  id: string | null,
  typedName: string | null,
  commenters: Map<string, Commenter>,
): SourceAuthor {
  const guest = !id || id === 'anonymous' || id === COMENTARIO_ANONYMOUS;
  const known = guest ? undefined : commenters.get(id);
  const name = known?.name ?? typedName ?? 'Anonymous';
  return { key: guest ? name : id, name, email: known?.email ?? null };
}

function story(
  sourceId: string,
  url: string | null,
  path: string,
  title: string | null,
  closed: boolean,
  createdAt: Date | null,
): SourceStory {
  return { sourceId, url, identifier: path, title, closed, createdAt };
}

function positive(value: unknown): number {
  return typeof value === 'number' && value > 0 ? Math.floor(value) : 0;
}

function invalid(sourceId: string, detail: string): SourceItem {
  return { kind: 'skip', reason: 'invalid', sourceId, detail };
}

/**
 * The top level of a JSON document that must be an object: its scalar members, and each element
 * of the arrays named in `collect`, assembled one at a time. Everything else is tokenized and
 * dropped. Throws ImportFormatError for anything that is not one well-formed JSON object.
 */
async function* walkDocument(
  path: string,
  onBytes: (count: number) => void,
  collect: ReadonlySet<string>,
): AsyncGenerator<DocumentEvent> {
  const parser = jsonParser({ streamValues: false });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const walker = new TopLevelWalker(collect);
  let offset = 0;
  let started = false;
  const feed = (input: string | typeof none, at: number): Token[] => {
    try {
      const out = parser(input as string);
      return isMany(out) ? (getManyValues(out) as Token[]) : [];
    } catch (error) {
      throw new ImportFormatError(`Malformed JSON near here: ${(error as Error).message}`, {
        offset: at,
      });
    }
  };
  for await (const chunk of readSourceBytes(path, onBytes, { gunzip: true })) {
    for (let start = 0; start < chunk.length; start += SLICE_BYTES) {
      const slice = chunk.subarray(start, start + SLICE_BYTES);
      if (!started) started = checkStart(slice, offset);
      let decoded: string;
      try {
        decoded = decoder.decode(slice, { stream: true });
      } catch {
        throw new ImportFormatError('The file is not UTF-8 text', { offset });
      }
      for (const token of feed(decoded, offset)) yield* walker.take(token);
      offset += slice.length;
    }
  }
  try {
    decoder.decode();
  } catch {
    throw new ImportFormatError('The file ends inside a UTF-8 character (truncated?)', { offset });
  }
  const truncated = (): ImportFormatError =>
    new ImportFormatError(
      started ? 'The file ends before its JSON document does (truncated?)' : 'The file is empty',
      { offset },
    );
  let last: Token[];
  try {
    last = feed(none, offset);
  } catch {
    // The parser's complaint at the very end ("expected a value") only means the text stopped.
    throw truncated();
  }
  for (const token of last) yield* walker.take(token);
  if (!walker.finished) throw truncated();
}

/** True once the first significant byte is seen (and is `{`); throws for anything else. */
function checkStart(slice: Buffer, offset: number): boolean {
  for (let i = 0; i < slice.length; i++) {
    const byte = slice[i] as number;
    const isSpace = byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
    const isBom = offset + i < 3 && (byte === 0xef || byte === 0xbb || byte === 0xbf);
    if (isSpace || isBom) continue;
    if (byte === 0x7b) return true;
    const found = byte === 0x3c ? 'XML' : 'something that is not a JSON object';
    throw new ImportFormatError(`Expected a Commento or Comentario JSON export, found ${found}`, {
      offset: offset + i,
    });
  }
  return false;
}

/** The state of walkDocument's token stream, kept apart so that the loop above stays readable. */
class TopLevelWalker {
  private depth = 0;
  private key = '';
  /** Set while inside an array named in `collect` (at depth 2). */
  private array: { key: string; index: number } | null = null;
  private element: Assembler | null = null;
  finished = false;

  constructor(private readonly collect: ReadonlySet<string>) {}

  *take(token: Token): Generator<DocumentEvent> {
    if (this.element) {
      this.element.consume(token);
      this.moveDepth(token);
      if (this.element.done) yield this.elementDone(this.element.current);
      return;
    }
    const opens = token.name === 'startObject' || token.name === 'startArray';
    if (this.depth === 0 && opens && token.name !== 'startObject') {
      throw new ImportFormatError('Expected a JSON object at the top of the document');
    }
    if (this.depth === 1 && token.name === 'keyValue') this.key = token.value;
    if (this.depth === 1 && token.name === 'startArray' && this.collect.has(this.key)) {
      this.array = { key: this.key, index: 0 };
    }
    if (this.depth === 1 && isScalar(token)) {
      yield { kind: 'scalar', key: this.key, value: scalarValue(token) };
    }
    if (this.depth === 2 && this.array) {
      if (opens) {
        this.element = new Assembler();
        this.element.consume(token);
      } else if (isScalar(token)) {
        yield this.elementDone(scalarValue(token));
      } else if (token.name === 'endArray') {
        this.array = null;
      }
    }
    this.moveDepth(token);
    if (this.depth === 0 && token.name === 'endObject') this.finished = true;
  }

  private moveDepth(token: Token): void {
    if (token.name === 'startObject' || token.name === 'startArray') this.depth += 1;
    if (token.name === 'endObject' || token.name === 'endArray') this.depth -= 1;
  }

  private elementDone(value: unknown): DocumentEvent {
    const array = this.array as { key: string; index: number };
    this.element = null;
    return { kind: 'element', key: array.key, index: array.index++, value };
  }
}

function isScalar(token: Token): boolean {
  return (
    token.name === 'stringValue' ||
    token.name === 'numberValue' ||
    token.name === 'trueValue' ||
    token.name === 'falseValue' ||
    token.name === 'nullValue'
  );
}

function scalarValue(token: Token): unknown {
  if (token.name === 'numberValue') return Number(token.value);
  return 'value' in token ? token.value : undefined;
}
