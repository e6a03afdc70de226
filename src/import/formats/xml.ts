/**
 * Reading an XML export as a stream of records, in constant memory: the file is read in chunks,
 * decoded as UTF-8 (strictly: a broken byte sequence is an error naming its offset, not a silent
 * replacement character), and parsed by saxes, a conformant non-validating parser. Each element
 * named as a record (a Disqus `<post>`, a WordPress `<wp:comment>`) is collected with its
 * descendants' text and attributes into a flat map of paths, and handed to the format's reader.
 *
 * Hostile files: a DOCTYPE is refused outright, so no entity is ever declared, expanded or fetched
 * (no billion laughs, no external entities); saxes itself knows only the five predefined entities
 * and character references. A text value longer than MAX_VALUE_CHARS stops the import instead of
 * growing without bound, and so does an element nested deeper than MAX_DEPTH.
 */
import fs from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { ImportFormatError, type ReaderProgress } from '../records.ts';

const CHUNK_BYTES = 256 * 1024;
const MAX_VALUE_CHARS = 1_000_000;
const MAX_DEPTH = 64;

/** A record element: its attributes and its descendants' text, by path (`author/name`). */
export interface XmlRecord {
  /** The record element's name. */
  name: string;
  attributes: Record<string, string>;
  /** Text by path relative to the record; attributes of descendants as `path@attribute`. */
  fields: Map<string, string>;
  /** Where the record starts. */
  line: number;
}

export interface XmlShape {
  /** What the file must be, in words, for errors ("a Disqus export"). */
  expected: string;
  /** Checks the root element's name; returns an error message when it is the wrong format. */
  checkRoot(name: string): string | undefined;
  /**
   * Whether an element opened at this path (names from the root, the root included) starts a
   * record. Records do not nest.
   */
  isRecord(path: readonly string[]): boolean;
  /** Collects text of elements outside records too (a WordPress item's title and link). */
  collectOutside?: (path: readonly string[], text: string) => void;
  /** An element outside records opened or closed (a WordPress `<item>`). */
  onOutside?: (event: 'open' | 'close', path: readonly string[]) => void;
}

/**
 * Parses the file and calls `onRecord` for each record, in file order; the caller turns records
 * into items. Items are handed back chunk by chunk through `drain`, so the caller yields them
 * between chunks and memory holds one chunk's records at most.
 */
export async function* readXmlRecords<T>(
  file: string,
  progress: ReaderProgress,
  shape: XmlShape,
  onRecord: (record: XmlRecord, out: T[]) => void,
  onEnd?: (out: T[]) => void,
): AsyncGenerator<T> {
  const stat = await fs.promises.stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new ImportFormatError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  if (!stat.isFile()) throw new ImportFormatError(`${file} is not a file`);
  progress.totalBytes = stat.size;
  const parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const path: string[] = [];
  let out: T[] = [];
  let record: XmlRecord | null = null;
  let recordDepth = 0;
  let text = '';
  let failure: ImportFormatError | null = null;
  let sawRoot = false;

  const fail = (message: string) => {
    failure ??= new ImportFormatError(message, { line: parser.line, column: parser.column });
  };
  const relative = () => path.slice(recordDepth).join('/');
  const addText = (value: string) => {
    if (text.length + value.length > MAX_VALUE_CHARS) {
      fail(`a value is longer than ${MAX_VALUE_CHARS} characters`);
      return;
    }
    text += value;
  };

  parser.on('xmldecl', (decl) => {
    if (decl.encoding && !/^utf-?8$/i.test(decl.encoding)) {
      fail(`the file declares encoding ${decl.encoding}; only UTF-8 exports are read`);
    }
  });
  parser.on('doctype', () => {
    fail('the file has a DOCTYPE declaration, which an export never needs (entities are refused)');
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (!sawRoot) {
      sawRoot = true;
      const wrong = shape.checkRoot(tag.name);
      if (wrong) fail(wrong);
    }
    path.push(tag.name);
    if (path.length > MAX_DEPTH) fail(`elements are nested deeper than ${MAX_DEPTH}`);
    text = '';
    if (record) {
      for (const [name, value] of Object.entries(tag.attributes)) {
        record.fields.set(`${relative()}@${name}`, value);
      }
    } else if (shape.isRecord(path)) {
      record = {
        name: tag.name,
        attributes: { ...tag.attributes },
        fields: new Map(),
        line: parser.line,
      };
      recordDepth = path.length;
    } else {
      shape.onOutside?.('open', path);
    }
  });
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    if (record) {
      if (path.length === recordDepth) {
        onRecord(record, out);
        record = null;
      } else if (text) {
        const key = relative();
        record.fields.set(key, (record.fields.get(key) ?? '') + text);
      }
    } else if (text) {
      shape.collectOutside?.(path, text);
    }
    if (!record) shape.onOutside?.('close', path);
    text = '';
    path.pop();
  });
  parser.on('error', (error) => {
    fail(`not well-formed XML: ${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`);
  });

  const stream = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES });
  let offset = 0;
  // The bytes of a character the last chunk ended in the middle of (the decoder holds them).
  let carried: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let decoded: string;
      try {
        decoded = decoder.decode(chunk, { stream: true });
      } catch {
        const bytes = Buffer.concat([carried, chunk]);
        throw new ImportFormatError('the file is not valid UTF-8', {
          offset: offset - carried.length + invalidUtf8Offset(bytes),
        });
      }
      offset += chunk.length;
      carried = Buffer.from(chunk.subarray(chunk.length - incompleteTail(chunk)));
      try {
        parser.write(decoded);
      } catch {
        fail('not well-formed XML');
      }
      // saxes holds a text node until its end: one that never ends must not grow unbounded.
      if (((parser as unknown as { text?: string }).text?.length ?? 0) > MAX_VALUE_CHARS) {
        fail(`a value is longer than ${MAX_VALUE_CHARS} characters`);
      }
      if (failure) throw failure;
      progress.bytesRead = offset;
      if (out.length) {
        const ready = out;
        out = [];
        yield* ready;
      }
    }
    try {
      decoder.decode();
    } catch {
      throw new ImportFormatError('the file ends in the middle of a UTF-8 character', { offset });
    }
    if (!sawRoot) {
      throw new ImportFormatError(
        `the file is empty or holds no XML element: expected ${shape.expected}`,
      );
    }
    if (path.length > 0) {
      fail(
        `the file ends inside <${path[path.length - 1]}> before its elements are closed: ` +
          'it was cut short',
      );
    }
    parser.close();
    if (failure) throw failure;
    onEnd?.(out);
    yield* out;
  } finally {
    stream.destroy();
  }
}

/**
 * The offset in `bytes` of the first byte that does not start a well-formed UTF-8 sequence
 * (Unicode's Table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF), or its length.
 */
function invalidUtf8Offset(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const byte = bytes[i] ?? 0;
    if (byte < 0x80) {
      i++;
      continue;
    }
    const length =
      byte >= 0xc2 && byte <= 0xdf
        ? 2
        : byte >= 0xe0 && byte <= 0xef
          ? 3
          : byte >= 0xf0 && byte <= 0xf4
            ? 4
            : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1] ?? 0;
    const [low, high] =
      byte === 0xe0
        ? [0xa0, 0xbf]
        : byte === 0xed
          ? [0x80, 0x9f]
          : byte === 0xf0
            ? [0x90, 0xbf]
            : byte === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return bytes.length;
}

/** How many bytes at the end of `chunk` begin a character that continues in the next chunk. */
function incompleteTail(chunk: Buffer): number {
  for (let back = 1; back <= Math.min(3, chunk.length); back++) {
    const byte = chunk[chunk.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

/** An export's date: ISO 8601, or WordPress's `YYYY-MM-DD HH:MM:SS` in UTC. */
export function parseExportDate(value: string | undefined): Date | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (!trimmed || trimmed.startsWith('0000-00-00')) return null;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(trimmed)
    ? `${trimmed.replace(' ', 'T')}Z`
    : trimmed;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true' || value?.trim() === '1';
}
