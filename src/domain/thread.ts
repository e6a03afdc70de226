/**
 * Threading rules: sort orders of a thread, opaque pagination cursors, and where a reply is shown
 * when it would nest deeper than the site allows (flattened at the deepest level, under the same
 * parent as the comment it answers).
 */
import { ParleyError } from './errors.ts';

export const SORTS = ['newest', 'oldest', 'replies', 'reactions', 'best'] as const;
export type Sort = (typeof SORTS)[number];

/**
 * Position of the last item of a page: the sort key (a count, for count sorts; the stored score,
 * a finite float, for `best`) and the id.
 */
export interface Cursor {
  sort: Sort;
  key: number | null;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

/** Counts are 32-bit integers in the database; a cursor claiming more is forged. */
const isCount = (value: unknown): boolean =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 2 ** 31 - 1;

/** Best keys are logarithms plus seconds scaled by the half-life: finite, well under 1e9. */
const isScore = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e9;

export function decodeCursor(raw: string, sort: Sort): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sort ||
    !(parsed[1] === null || (sort === 'best' ? isScore(parsed[1]) : isCount(parsed[1]))) ||
    typeof parsed[2] !== 'string' ||
    !/^[0-9A-Z]{26}$/.test(parsed[2])
  ) {
    throw new ParleyError(
      'INVALID_CURSOR',
      'The cursor is not valid for this list and sort order.',
    );
  }
  return { sort, key: parsed[1] as number | null, id: parsed[2] };
}

export interface Placement {
  /** The comment under which the reply is listed. */
  threadParentId: string;
  depth: number;
  /** True when the reply is shown flattened, not directly under the comment it answers. */
  flattened: boolean;
}

/** Where a reply to `parent` is shown, given the deepest nesting the site allows. */
export function placeReply(
  parent: { id: string; depth: number; threadParentId: string | null },
  maxDepth: number,
): Placement {
  if (parent.depth < maxDepth) {
    return { threadParentId: parent.id, depth: parent.depth + 1, flattened: false };
  }
  return {
    threadParentId: parent.threadParentId ?? parent.id,
    depth: parent.depth,
    flattened: true,
  };
}
