/**
 * Which database failures pass: the connection was lost or refused, the server is shutting down,
 * starting or full, a transaction collided with another, SQLite's file is locked by another
 * process. They say nothing about the request, and the same request may well succeed a moment
 * later, so the API answers them 503 BUSY with Retry-After instead of 500 (server/errors.ts).
 */

/**
 * PostgreSQL's SQLSTATEs: 40001 serialisation failure, 40P01 deadlock, 57P01/57P02 the server
 * terminated the connection (an operator's pg_terminate_backend, a shutdown), 57P03 cannot connect
 * now (starting or stopping), 53300 too many connections. Class 08 (connection exceptions) is
 * matched by its prefix.
 */
const POSTGRES_TRANSIENT = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300']);
const POSTGRES_CONNECTION_LOST = new Set(['57P01', '57P02']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
/**
 * What pg itself says, without a code, when a connection ends under it or cannot be had. Errors
 * are matched as pg and Kysely throw them, not through their `cause`: an outbound fetch's failure
 * carries a network code there, and is not the database's.
 */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The connection to PostgreSQL is gone (or could not be made): whatever ran on it was cut off
 * and the connection is not reused. A read may be run again on another one; the outcome of a
 * COMMIT sent on it is unknown (see postgres.ts).
 */
export function isConnectionLost(error: unknown): boolean {
  const code = codeOf(error);
  if (code && (code.startsWith('08') || POSTGRES_CONNECTION_LOST.has(code) || NETWORK.has(code))) {
    return true;
  }
  return error instanceof Error && PG_CONNECTION_MESSAGES.test(error.message);
}

/** SQLite's file is locked (by another process, or another statement of this connection). */
export function isSqliteBusy(error: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(codeOf(error) ?? '');
}

export function isTransientDatabaseError(error: unknown): boolean {
  return (
    isConnectionLost(error) || isSqliteBusy(error) || POSTGRES_TRANSIENT.has(codeOf(error) ?? '')
  );
}
