/**
 * Slow and greedy clients are shed at the connection, before any route sees them: a client has
 * `PARLEY_HEADERS_TIMEOUT_MS` to send a request's headers and `PARLEY_REQUEST_TIMEOUT_MS` for the
 * whole request (a body sent a byte at a time, or shorter than its Content-Length, is answered
 * 408 and the connection closed), an idle keep-alive connection is closed after
 * `PARLEY_KEEP_ALIVE_TIMEOUT_MS`, and one address holds at most `PARLEY_MAX_CONNECTIONS_PER_IP`
 * connections open at once; more are closed as they arrive.
 *
 * Live event streams are long-lived connections of their own, capped by the hub per address
 * (`PARLEY_MAX_SSE_PER_IP`): a connection that carries one is not counted here, so a reader with a
 * few open pages still loads them. Connections from a proxy Parley trusts carry many clients and
 * are not capped (the proxy caps them: docs/operations.md, limit_conn), nor are this host's own
 * (loopback: a proxy beside Parley, or the operator's tools).
 */
import { STATUS_CODES } from 'node:http';
import { BlockList, isIPv4, isIPv6, type Server, type Socket } from 'node:net';
import type { Config } from '../config.ts';
import { ParleyError, type ErrorCode } from '../domain/errors.ts';

/** Node checks the header and request deadlines this often: a tenth of the shorter, 0.1–1 s. */
export function checkingIntervalMs(config: Config): number {
  const shorter = Math.min(config.headersTimeoutMs, config.requestTimeoutMs || Infinity);
  return Math.min(1000, Math.max(100, Math.floor(shorter / 10)));
}

/** Fastify's (and through it Node's) server options for the timeouts of `config`. */
export function serverTimeouts(config: Config) {
  return {
    connectionTimeout: config.idleTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    maxRequestsPerSocket: config.maxRequestsPerSocket,
    http: {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(config),
    },
  };
}

const CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    code: 'REQUEST_TIMEOUT',
    message: 'The request took too long to arrive; send it again.',
  },
  HPE_HEADER_OVERFLOW: { code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large.' },
};

/**
 * Answers what Node refuses before Fastify sees a request (a deadline passed, headers too large,
 * not HTTP) in the API's error shape, then closes the connection, as Fastify's own handler does.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = (error.code && CLIENT_ERRORS[error.code]) || {
    code: 'VALIDATION_FAILED' as const,
    message: 'That is not an HTTP request Parley can read.',
  };
  const refusal = new ParleyError(known.code, known.message);
  const body = JSON.stringify(refusal.toJSON());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** An address as written by a dual-stack socket (`::ffff:192.0.2.1`) in its IPv4 form. */
const plainAddress = (address: string): string =>
  address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;

/**
 * Which peers' connections are not capped: the proxies Parley trusts (every peer, for a hop
 * count) and, unless `capLoopback`, this host's own.
 */
export function uncappedPeers(
  trustProxy: Config['trustProxy'],
  capLoopback = false,
): (address: string) => boolean {
  if (typeof trustProxy === 'number') return () => true;
  const list = new BlockList();
  if (!capLoopback) {
    list.addSubnet('127.0.0.0', 8, 'ipv4');
    list.addAddress('::1', 'ipv6');
  }
  for (const entry of trustProxy || []) {
    const [network = '', prefix] = entry.split('/');
    const type = isIPv6(network) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(network, type);
    else list.addSubnet(network, Number(prefix), type);
  }
  return (address) => {
    const plain = plainAddress(address);
    return list.check(plain, isIPv6(plain) ? 'ipv6' : 'ipv4');
  };
}

export interface ConnectionCap {
  /** Connections one address may hold open at once besides its live streams (0: no cap). */
  maxPerAddress: number;
  /** Peers that are not capped. */
  uncapped: (address: string) => boolean;
  /** How many live streams an address holds open (they are counted apart). */
  streamsOf: (address: string) => number;
  /** A connection was closed on arrival. */
  refused?: (address: string) => void;
}

/** Counts each address's open connections and closes those beyond the cap as they arrive. */
export function capConnections(server: Server, cap: ConnectionCap): void {
  if (cap.maxPerAddress <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || cap.uncapped(address)) return;
    const count = open.get(address) ?? 0;
    if (count - cap.streamsOf(address) >= cap.maxPerAddress) {
      socket.destroy();
      cap.refused?.(address);
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
