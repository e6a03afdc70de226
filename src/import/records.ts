/**
 * What every import source is read into: one stream of items in the source's own terms (its ids,
 * its states, its body format), whatever the file looked like. Readers (formats/*.ts) only parse;
 * the importer (importer.ts) decides what each item becomes in Parley, so that matching stories,
 * profiles of imported authors, nesting, states and the report work the same for every source.
 */

/** A discussion in the source: one article's comments (a Disqus thread, a WordPress post). */
export interface SourceStory {
  /** The source's id for the discussion, unique within the file. */
  sourceId: string;
  /** The article's address (absolute http(s)); null when the source has none. */
  url: string | null;
  /** The publisher's own id for the article (Disqus `<id>`, Coral story id), if any. */
  identifier: string | null;
  title: string | null;
  /** Closed to new comments in the source. */
  closed: boolean;
  createdAt: Date | null;
}

/** The person who wrote a comment, as the source knows them. */
export interface SourceAuthor {
  /**
   * The source's stable key for the person: its user id or username where it has one, otherwise
   * the address, otherwise the name (anonymous guests of the same name are one profile).
   */
  key: string;
  name: string;
  /** The address the source holds (kept only as a hash: see docs/import.md); null when none. */
  email: string | null;
}

/** What the source had decided about a comment. */
export type SourceState = 'approved' | 'pending' | 'spam' | 'deleted';

export interface SourceBody {
  /** html: converted to Parley's Markdown subset; markdown: taken as is; text: escaped. */
  format: 'html' | 'markdown' | 'text';
  value: string;
}

export interface SourceComment {
  sourceId: string;
  storySourceId: string;
  /** The comment it answers (null: top level). */
  parentSourceId: string | null;
  author: SourceAuthor;
  createdAt: Date;
  body: SourceBody;
  state: SourceState;
  /** Likes or up-votes the source counted (kept as the comment's reaction count). */
  likes: number;
  /** Where it was posted from, when the source kept it (subject to IP retention like any other). */
  ip: string | null;
}

/** Why something in the file was not imported. */
export type SkipReason =
  | 'orphan'
  | 'empty_body'
  | 'unknown_thread'
  | 'duplicate'
  | 'deleted'
  | 'not_a_comment'
  | 'invalid';

export type SourceItem =
  | { kind: 'story'; story: SourceStory }
  | { kind: 'comment'; comment: SourceComment }
  /** Read but not importable, with the reason and the source id (for the report's examples). */
  | { kind: 'skip'; reason: SkipReason; sourceId: string; detail: string };

/** Where in the file something went wrong, as precisely as the reader knows it. */
export interface FilePosition {
  line?: number;
  column?: number;
  /** Byte offset from the start of the file. */
  offset?: number;
  /** For sources made of several files or tables: which one. */
  part?: string;
}

/**
 * The file cannot be read as the format said: malformed, truncated, the wrong format, an encoding
 * error, a declaration Parley refuses (entities). What was committed before it stays consistent.
 */
export class ImportFormatError extends Error {
  readonly position: FilePosition;
  constructor(message: string, position: FilePosition = {}) {
    super(`${message}${describePosition(position)}`);
    this.position = position;
  }
}

export function describePosition(position: FilePosition): string {
  const parts: string[] = [];
  if (position.part) parts.push(position.part);
  if (position.line !== undefined) {
    parts.push(
      position.column !== undefined
        ? `line ${position.line}, column ${position.column}`
        : `line ${position.line}`,
    );
  }
  if (position.offset !== undefined) parts.push(`byte ${position.offset}`);
  return parts.length ? ` (at ${parts.join(', ')})` : '';
}

export interface ReaderProgress {
  /** Bytes of the source read so far, and in all (for the progress bar). */
  bytesRead: number;
  totalBytes: number;
}

/**
 * A source format: reads the file (or directory, or database) at `path` as a stream, in constant
 * memory, and yields its items in file order. `progress` is updated as bytes are read.
 */
export type SourceReader = (path: string, progress: ReaderProgress) => AsyncIterable<SourceItem>;
