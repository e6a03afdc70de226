/**
 * What goes down an event stream: the SSE frame, and each event in the form the REST API would
 * show the viewer it is written to (the author of a comment gets their own view, moderators of the
 * site pending comments, everyone else what a reader may see).
 */
import { inScope } from '../../domain/moderation/scope.ts';
import { AUTHOR, MODERATORS, READERS, type LiveEvent } from '../../live/bus.ts';
import type { RemovedData } from '../../live/record.ts';
import type { CommentRecord, User } from '../../store/rows.ts';
import { markExpert, presentComment } from '../presenters.ts';
import type { Connection } from './streams.ts';

const COMMENT_KINDS = new Set(['comment.created', 'comment.updated', 'comment.approved']);

/** The heartbeat: an SSE comment line that keeps proxies from timing the stream out. */
export const HEARTBEAT = Buffer.from(':\n\n');

export function frame(kind: string, payload: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${kind}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Which viewer class (an audience bit of bus.ts) a stream belongs to for this event. */
export function classOf(conn: Connection, event: LiveEvent): number {
  if (conn.viewerId !== null && conn.viewerId === event.authorId) return AUTHOR;
  if (conn.scope !== undefined && inScope(conn.scope, event.siteId)) return MODERATORS;
  return READERS;
}

/**
 * What one viewer class receives for an event: the payload rendered and encoded once per class,
 * and the same bytes written to every stream of that class (a string would be encoded again for
 * each of thousands of sockets, and the copies left for the garbage collector).
 */
export class Rendered {
  private own: Buffer | null | undefined;
  private other: Buffer | null | undefined;
  private readonly data: unknown;

  constructor(
    private readonly event: LiveEvent,
    private readonly editWindowSeconds: number,
  ) {
    this.data = JSON.parse(event.data);
  }

  frame(viewerClass: number): Buffer | null {
    if (!(this.event.audience & viewerClass)) return null;
    const own = viewerClass === AUTHOR;
    if (own) return (this.own ??= this.render(true));
    return (this.other ??= this.render(false));
  }

  private render(own: boolean): Buffer {
    const { event } = this;
    const viewer = own ? ({ id: event.authorId } as User) : null;
    const show = (c: CommentRecord) => presentComment(c, viewer, this.editWindowSeconds);
    let payload: unknown;
    if (COMMENT_KINDS.has(event.kind)) {
      payload = { comment: show((this.data as { comment: CommentRecord }).comment) };
    } else if (event.kind === 'comment.removed') {
      const removed = this.data as RemovedData;
      payload = {
        id: removed.id,
        storyId: event.storyId,
        parentId: removed.parentId,
        threadParentId: removed.threadParentId,
        comment: removed.comment ? show(removed.comment) : null,
      };
    } else if (event.kind === 'qa.answered') {
      // The answer as the questions' tabs show it (src/server/routes/qa.ts).
      const data = this.data as { questionId: string; answer: CommentRecord | null };
      payload = {
        questionId: data.questionId,
        answer: data.answer && markExpert(show(data.answer)),
      };
    } else {
      payload = this.data;
    }
    // A transient event (seq 0: Q&A's "now answering") carries no id, so that a reconnecting
    // reader's Last-Event-ID stays the last numbered event.
    return Buffer.from(frame(event.kind, payload, event.seq > 0 ? event.seq : undefined));
  }
}

/** A new or changed pending comment, as the dashboard's queue shows it; null: none. */
export function queueItem(event: LiveEvent): string | null {
  if (!(event.audience & MODERATORS) || !COMMENT_KINDS.has(event.kind)) return null;
  const { comment } = JSON.parse(event.data) as { comment: CommentRecord };
  if (comment.status !== 'pending') return null;
  return frame('queue.item', { comment: presentComment(comment, null, 0) });
}
