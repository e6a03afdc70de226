/**
 * Resuming a story's stream: a reader who reconnects with `Last-Event-ID: n` is owed the story's
 * events after n from the event log, before the live ones. A gap the log no longer covers (older
 * than the retention, or longer than `replayLimit`), or an id that is not one of ours, gets a
 * `reset` instead: reload the page.
 */
import type { Kysely } from 'kysely';
import type { LiveEvent } from '../../live/bus.ts';
import { lastLiveSeq, readLiveEvents } from '../../store/live-events.ts';
import type { Database } from '../../store/schema.ts';

/** What a resuming stream is owed: the events after `after`, or a reset. */
export type Replay = { reset: true } | { reset: false; after: number; events: LiveEvent[] };

const RESET: Replay = { reset: true };

/** undefined: none given; null: not an event number of ours; otherwise the number. */
export function parseEventId(value: string | undefined): number | null | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** Reads the story's events after `after` (null: an id not ours) from the log, at most `limit`. */
export async function replayAfter(
  db: Kysely<Database>,
  storyId: string,
  after: number | null,
  limit: number,
  log: { warn(message: string): void },
): Promise<Replay> {
  if (after === null) return RESET;
  try {
    const events = await readLiveEvents(db, storyId, after, limit + 1);
    const first = events[0];
    if (events.length > limit || (first && first.seq !== after + 1)) return RESET;
    if (!first && after > (await lastLiveSeq(db, storyId))) return RESET;
    return { reset: false, after, events };
  } catch (error) {
    log.warn(`live: replay of ${storyId} failed: ${String(error)}`);
    return RESET;
  }
}
