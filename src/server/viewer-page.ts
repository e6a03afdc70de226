/**
 * A signed-in reader's thread page, made from the anonymous one's bytes. Everyone's page is
 * serialised once (src/services/thread-cache.ts); a reader's differs only where a comment is theirs
 * or marked by them, and in `pending`. So their answer is the anonymous bytes with those entries
 * (a top-level comment with its first replies) and the page's tail (`nextCursor`, `pending`,
 * `featuredCount`) cut out and replaced by the same route's serialiser's output for them alone;
 * a reader with nothing on the page gets the anonymous bytes as they are. The result is the bytes
 * a full presentation would give (test/server/viewer-isolation.test.ts compares them).
 *
 * Cutting relies on what JSON serialisation guarantees: a key pattern such as `{"id":"…"` or
 * `],"nextCursor":` cannot occur inside a string (its quotes would be escaped), and ids are
 * unique on a page. Whenever the anonymous bytes do not cut as expected (a schema reordered), the
 * page is presented in full instead, which is slower but never wrong.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, type ViewerAnswer } from '../services/thread-cache.ts';
import type { ThreadPage, ViewerOverlay } from '../services/threads.ts';
import type { CommentRecord, Site, User } from '../store/rows.ts';
import { presentPending, presentThreadEntry } from './presenters.ts';
import type { StoryJson } from './schemas.ts';

/** Where each top-level entry lies in the anonymous bytes, and where its tail starts. */
interface Layout {
  /** End of `"comments":[`. */
  arrayStart: number;
  starts: number[];
  ends: number[];
  /** Start of `],"nextCursor":`, the end of the comments. */
  tailStart: number;
}

const layouts = new WeakMap<Buffer, Layout | null>();
const COMMENTS = '"comments":[';
const TAIL = '],"nextCursor":';

/** Cuts serialised bytes at the given entries (ids in page order); null when they do not cut. */
function cut(body: Buffer, ids: string[]): Layout | null {
  const comments = body.indexOf(COMMENTS);
  if (comments < 0) return null;
  const arrayStart = comments + COMMENTS.length;
  const tailStart = body.lastIndexOf(TAIL);
  if (tailStart < arrayStart) return null;
  const starts: number[] = [];
  let from = arrayStart;
  for (const id of ids) {
    const at = body.indexOf(`{"id":"${id}"`, from);
    if (at < 0 || at >= tailStart) return null;
    if (body[at - 1] !== (starts.length === 0 ? 0x5b : 0x2c)) return null; // `[` or `,`
    if (starts.length === 0 && at !== arrayStart) return null;
    starts.push(at);
    from = at + 1;
  }
  if (ids.length === 0 && tailStart !== arrayStart) return null;
  const ends = starts.map((_, i) =>
    i + 1 < starts.length ? (starts[i + 1] as number) - 1 : tailStart,
  );
  return { arrayStart, starts, ends, tailStart };
}

function layoutOf(body: Buffer, page: ThreadPage): Layout | null {
  let layout = layouts.get(body);
  if (layout === undefined) {
    layout = cut(
      body,
      page.entries.map((e) => e.comment.id),
    );
    layouts.set(body, layout);
  }
  return layout;
}

/**
 * Where a viewer's page differs from everyone's: the entries (by index) holding a comment of
 * theirs or one they marked. Every set of the marks counts, so a kind of mark added later is not
 * missed. No entries and no pending comments means their page is the anonymous one, byte for byte.
 */
export function viewerEntries(
  page: ThreadPage,
  overlay: ViewerOverlay,
  viewerId: string,
): number[] {
  const sets = Object.values(overlay.marks).filter((v): v is Set<string> => v instanceof Set);
  const touches = (c: CommentRecord) =>
    c.authorId === viewerId || sets.some((set) => set.has(c.id));
  const entries: number[] = [];
  page.entries.forEach((entry, i) => {
    if (touches(entry.comment) || entry.replies.some(touches)) entries.push(i);
  });
  return entries;
}

/**
 * When a viewer's answer stops being right by itself: the soonest an edit window of one of their
 * comments on it closes (their page says until when they may edit), or undefined.
 */
export function viewerAnswerUntil(
  page: ThreadPage,
  overlay: ViewerOverlay,
  viewerId: string,
  editWindowSeconds: number,
  now = Date.now(),
): number | undefined {
  let until: number | undefined;
  const consider = (c: CommentRecord) => {
    if (c.authorId !== viewerId || c.deletedAt !== null) return;
    const closes = Date.parse(c.createdAt) + editWindowSeconds * 1000;
    if (closes > now && (until === undefined || closes < until)) until = closes;
  };
  for (const entry of page.entries) {
    consider(entry.comment);
    entry.replies.forEach(consider);
  }
  overlay.pending.forEach(consider);
  return until;
}

/**
 * The viewer's answer: `anonymous` (the page's anonymous bytes) with their entries and tail
 * replaced; `shared` when it is the anonymous answer itself.
 */
export function viewerAnswer(
  reply: FastifyReply,
  input: {
    anonymous: ViewerAnswer;
    page: ThreadPage;
    overlay: ViewerOverlay;
    viewer: User;
    site: Site;
    /** The story as presented (the serialiser requires one; the anonymous bytes' is kept). */
    story: StoryJson;
    /** The whole answer, presented for this viewer: used when the bytes do not cut. */
    full: () => unknown;
  },
): { answer: ViewerAnswer; shared: boolean } {
  const { anonymous, page, overlay, viewer, site } = input;
  const entries = viewerEntries(page, overlay, viewer.id);
  if (entries.length === 0 && overlay.pending.length === 0) {
    return { answer: anonymous, shared: true };
  }
  const layout = layoutOf(anonymous.body, page);
  const own = (bytes: Buffer): { answer: ViewerAnswer; shared: boolean } => ({
    answer: { body: bytes, etag: etagOf(bytes) },
    shared: false,
  });
  const serialise = (value: unknown) => Buffer.from(reply.serialize(value) as string);
  if (!layout) return own(serialise(input.full()));
  // Only the viewer's entries and tail, through the route's own serialiser (the story's bytes
  // are the anonymous page's).
  const changed = entries.map((i) => page.entries[i] as ThreadPage['entries'][number]);
  const part = serialise({
    story: input.story,
    comments: changed.map((entry) => presentThreadEntry(entry, overlay, viewer, site)),
    nextCursor: page.nextCursor,
    pending: presentPending(overlay, viewer, site),
    ...(page.featuredCount !== undefined && { featuredCount: page.featuredCount }),
  });
  const partLayout = cut(
    part,
    changed.map((e) => e.comment.id),
  );
  if (!partLayout) return own(serialise(input.full()));
  const pieces: Buffer[] = [anonymous.body.subarray(0, layout.arrayStart)];
  let next = 0;
  for (let i = 0; i < page.entries.length; i++) {
    if (i > 0) pieces.push(COMMA);
    if (entries[next] === i) {
      pieces.push(part.subarray(partLayout.starts[next], partLayout.ends[next]));
      next++;
    } else {
      pieces.push(anonymous.body.subarray(layout.starts[i], layout.ends[i]));
    }
  }
  pieces.push(part.subarray(partLayout.tailStart));
  return own(Buffer.concat(pieces));
}

const COMMA = Buffer.from(',');

/**
 * Sends a signed-in reader's answer: never stored by a shared cache (`private`; `Vary:
 * Authorization`), with an ETag of its bytes, and 304 when the reader already has them.
 */
export function sendViewerAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: ViewerAnswer,
): FastifyReply {
  void reply
    .header('etag', answer.etag)
    .header('cache-control', 'private, no-cache')
    .header('vary', 'authorization');
  if (request.headers['if-none-match'] === answer.etag) return reply.status(304).send(null);
  return reply.type('application/json; charset=utf-8').send(answer.body);
}
