/**
 * The open event streams of this process: admitting one (admission.ts), taking its response over
 * from Fastify, writing to it without buffering without end for a client that does not read, the
 * heartbeat and the longest lifetime, and ending it. Whatever else holds a stream (a story's
 * channel, the reader's own channel, the moderators' feed) is told when it ends, through `dropped`.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveEvent } from '../../live/bus.ts';
import type { SiteScope } from '../../store/moderation/filters.ts';
import { Admission } from './admission.ts';
import { HEARTBEAT } from './frames.ts';
import type { HubOptions } from './options.ts';
import type { StoryChannel } from './story-channels.ts';

/** One open (or opening) event stream. */
export interface Connection {
  /** Null until the stream is opened. */
  res: ServerResponse | null;
  ip: string;
  viewerId: string | null;
  /** The sites this viewer moderates (null: every site); undefined: not a moderator. */
  scope: SiteScope | undefined;
  /** The last event number considered for this stream. */
  cursor: number;
  /** Events held back while this stream's replay is being written. */
  pending: LiveEvent[] | null;
  closesAt: number;
  channel: StoryChannel | null;
  admin: boolean;
  countsDue: boolean;
  closed: boolean;
}

/** What an open stream's request keeps of its headers (see `open`), shared by every stream. */
const NO_HEADERS: IncomingHttpHeaders = Object.freeze({});
const NO_HEADERS_DISTINCT: NodeJS.Dict<string[]> = Object.freeze({});
const NO_RAW_HEADERS = Object.freeze([]) as unknown as string[];

export class Streams {
  private readonly admission: Admission;
  private readonly all = new Set<Connection>();
  /** Open streams by their response, for `ended` (one listener for every stream, no closures). */
  private readonly byResponse = new Map<ServerResponse, Connection>();
  /** A stream's response closed or failed (`this`: the response). */
  private readonly ended: (this: ServerResponse) => void;

  constructor(
    private readonly options: HubOptions,
    private readonly dropped: (conn: Connection) => void,
  ) {
    this.admission = new Admission(options);
    const { byResponse } = this;
    const drop = (conn: Connection) => this.drop(conn);
    this.ended = function (this: ServerResponse) {
      const conn = byResponse.get(this);
      if (!conn) return;
      byResponse.delete(this);
      drop(conn);
    };
  }

  /** Whether the process is shutting down (new streams are refused). */
  get closing(): boolean {
    return this.admission.closing;
  }

  /** Open streams, all kinds together. */
  get count(): number {
    return this.all.size;
  }

  /** Client addresses holding a stream. */
  get addresses(): number {
    return this.admission.addresses;
  }

  /** How many streams the client address holds open. */
  streamsFrom(ip: string): number {
    return this.admission.streamsFrom(ip);
  }

  /** A new stream for the request, within the limits (RATE_LIMITED otherwise); not yet open. */
  admit(request: FastifyRequest, admin: boolean, scope: SiteScope | undefined): Connection {
    const ip = request.ip;
    this.admission.admit(ip, this.all.size);
    const jitter = 1 - Math.random() * 0.2;
    const conn: Connection = {
      res: null,
      ip,
      viewerId: request.viewer?.id ?? null,
      scope,
      cursor: 0,
      pending: null,
      closesAt: Date.now() + this.options.maxConnectionMs * jitter,
      channel: null,
      admin,
      countsDue: false,
      closed: false,
    };
    this.all.add(conn);
    return conn;
  }

  /** Takes the response over from Fastify and starts the event stream. */
  open(conn: Connection, reply: FastifyReply): void {
    reply.hijack();
    const res = reply.raw;
    conn.res = res;
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = value;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx: do not buffer this response.
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    const retry = Math.round(this.options.retryMs * (1 + Math.random() * 0.5));
    // Node keeps the response head (a string) for as long as the stream lasts. Written on its
    // own, the socket's write flattens it in place (0.8 KB); joined to the first line, as a
    // first write() does, it stays a tree of some 75 string pieces (2.4 KB). Corked: the same
    // bytes go out in the same packet as before.
    res.cork();
    res.flushHeaders();
    res.write(`retry: ${retry}\n\n`);
    res.uncork();
    this.byResponse.set(res, conn);
    res.on('close', this.ended);
    res.on('error', this.ended);
    // Node keeps the request's headers for as long as the stream lasts too (a browser's come
    // to 1.5 KB), and nothing reads them once it is open: the viewer, the address and
    // Last-Event-ID were taken before, and the onResponse hooks and Fastify's log read none.
    const req = reply.request.raw;
    req.headers = NO_HEADERS;
    req.headersDistinct = NO_HEADERS_DISTINCT;
    req.rawHeaders = NO_RAW_HEADERS;
  }

  write(conn: Connection, chunk: string | Buffer): void {
    if (conn.closed || !conn.res) return;
    if (conn.res.writableLength > this.options.maxBufferedBytes) {
      conn.res.destroy();
      this.drop(conn);
      return;
    }
    conn.res.write(chunk);
  }

  drop(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.all.delete(conn);
    this.admission.release(conn.ip);
    if (conn.res) {
      this.byResponse.delete(conn.res);
      if (!conn.res.writableEnded) conn.res.end();
    }
    this.dropped(conn);
  }

  /** Ends every stream of this viewer; how many there were. */
  dropViewer(userId: string): number {
    let dropped = 0;
    for (const conn of this.all) {
      if (conn.viewerId === userId) {
        this.drop(conn);
        dropped++;
      }
    }
    return dropped;
  }

  /** The heartbeat to every open stream, and the end of those past their longest lifetime. */
  beat(now: number): void {
    for (const conn of this.all) {
      if (!conn.res) continue;
      if (now >= conn.closesAt) this.drop(conn);
      else this.write(conn, HEARTBEAT);
    }
  }

  /** Refuses new streams from now on and ends every open one. */
  close(): void {
    this.admission.closing = true;
    for (const conn of [...this.all]) this.drop(conn);
  }
}
