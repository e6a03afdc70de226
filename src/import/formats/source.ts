/**
 * What the readers of JSON, JSON-lines and CSV exports share: opening a file that may be gzipped
 * while counting the bytes read from disk, splitting it into strict UTF-8 lines (a line that is
 * not UTF-8 is an error naming it, not replacement characters), strict ISO 8601 dates
 * (`Date.parse` turns 30 February into 1 March), and checks of JSON values.
 */
import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream';
import { ImportFormatError } from '../records.ts';

const GZIP_MAGIC = [0x1f, 0x8b] as const;
/** A JSON-lines or CSV line longer than this is taken as a sign of the wrong format, not read. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The bytes of the file at `path`, decompressed when it starts with the gzip magic bytes (and
 * `gunzip` allows it). `onBytes` is told how many bytes of the file itself were read, so that
 * progress is measured against the file's size whether it is compressed or not.
 */
export async function* readSourceBytes(
  path: string,
  onBytes: (count: number) => void,
  options: { gunzip: boolean; part?: string },
): AsyncGenerator<Buffer> {
  const gzipped = options.gunzip && (await startsWith(path, GZIP_MAGIC));
  const file = fs.createReadStream(path, { highWaterMark: 64 * 1024 });
  if (!gzipped) {
    try {
      for await (const chunk of file as AsyncIterable<Buffer>) {
        onBytes(chunk.length);
        yield chunk;
      }
    } finally {
      file.destroy();
    }
    return;
  }
  let compressedBytes = 0;
  file.on('data', (chunk: Buffer | string) => {
    compressedBytes += chunk.length;
    onBytes(chunk.length);
  });
  const gunzip = createGunzip();
  pipeline(file, gunzip, () => {});
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      const what =
        code === 'Z_BUF_ERROR'
          ? 'ends before its gzip stream does (truncated?)'
          : 'is not valid gzip data';
      throw new ImportFormatError(`The file ${what}`, {
        offset: compressedBytes,
        part: options.part,
      });
    }
    throw error;
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

async function startsWith(path: string, magic: readonly number[]): Promise<boolean> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const head = Buffer.alloc(magic.length);
    const { bytesRead } = await handle.read(head, 0, magic.length, 0);
    return bytesRead === magic.length && magic.every((byte, index) => head[index] === byte);
  } finally {
    await handle.close();
  }
}

export interface TextLine {
  /** The line's text, without its line ending (`\n` or `\r\n`). */
  text: string;
  /** 1-based. */
  number: number;
}

/**
 * Splits bytes into lines and decodes each as UTF-8, strictly: a byte sequence that is not UTF-8
 * (a Windows-1252 export, say) stops the import at its line rather than turning into U+FFFD. A
 * leading byte-order mark is dropped.
 */
export async function* readLines(
  chunks: AsyncIterable<Buffer>,
  part?: string,
): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  const decode = (bytes: Buffer): TextLine => {
    number += 1;
    const end =
      bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    try {
      let text = decoder.decode(bytes.subarray(0, end));
      if (number === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      return { text, number };
    } catch {
      throw new ImportFormatError('The text is not UTF-8 (convert it first, e.g. with iconv)', {
        line: number,
        part,
      });
    }
  };
  for await (const chunk of chunks) {
    let start = 0;
    let newline = chunk.indexOf(0x0a, start);
    while (newline !== -1) {
      pending.push(chunk.subarray(start, newline));
      yield decode(Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES) {
        throw new ImportFormatError(
          `A line is over ${MAX_LINE_BYTES / 1024 / 1024} MiB long: not the expected format`,
          { line: number + 1, part },
        );
      }
    }
  }
  if (pendingBytes > 0) yield decode(Buffer.concat(pending));
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * An ISO 8601 / RFC 3339 date, strictly: `Date.parse` would take 30 February as 1 March and
 * accepts formats that differ between engines. Without a zone, UTC is assumed. Null when invalid.
 */
export function parseIsoDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = ISO_DATE.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return null;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  let time = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), millis);
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * 60_000;
  }
  return new Date(time);
}

/** The value, trimmed, when it is an absolute http(s) address (as written: not normalised). */
export function httpUrl(value: unknown): string | null {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return /^https?:\/\//i.test(trimmed) && URL.canParse(trimmed) ? trimmed : null;
}

/** True when an HTML body has no text once tags, non-breaking spaces and whitespace are gone. */
export function isBlankHtml(html: string): boolean {
  return (
    html
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;|&#160;|\u00a0/gi, '')
      .trim() === ''
  );
}

/** A non-empty trimmed string, or null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
