/**
 * Telling a unique-constraint violation from other database failures, on either engine: the
 * writer raced another one for the same key (an address, a name, an imported source's id) and
 * answers with its own outcome instead of failing.
 */

/** A unique-constraint violation on PostgreSQL (SQLSTATE 23505) or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
