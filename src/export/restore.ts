/**
 * Restoring Parley's own archive (ndjson.ts, docs/export.md) into an instance: `parley import
 * parley FILE`. The same rows come back with their ids, so threads, counts and pages are those of
 * the instance the archive came from, on either engine.
 *
 * - Streamed: the file is read a line at a time and written in batches (BATCH_SIZE records, one
 *   transaction each), so memory stays the same whatever its size.
 * - Idempotent and resumable: every row goes in with `on conflict do nothing`, so running the same
 *   file again changes nothing, and a run killed half way is finished by running it again.
 * - Into a living instance: an account whose address the instance already has under another id
 *   is not created twice: its comments, reactions and reports go to the account there ("merged"),
 *   which keeps its own profile, role and sign-ins. Likewise a story the site already has under its
 *   identifier or address.
 * - Bad files: a line that is not JSON, a record of an unknown type or with a missing field, a
 *   newer archive version, a file cut short. Each error names the line. Everything before that line
 *   is committed (the database stays consistent: nothing refers to a row it lacks), nothing from it
 *   on; fixing the file and running again completes the restore.
 * - Comments come in id order, which is time order, so a reply normally follows what it answers.
 *   One that comes first (imported data with odd dates) waits in memory until its parent arrives.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Kysely } from 'kysely';
import { ACCOUNT_DELETE_JOB } from '../jobs/kinds.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { Store } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import {
  ARCHIVE_VERSION,
  emptyCounts,
  END_TYPE,
  HEADER_TYPE,
  RECORD_TYPES,
  SPECS,
  type FieldSpec,
  type RecordCounts,
  type RecordType,
} from './archive.ts';
import { bestKey } from '../domain/best.ts';

/**
 * Records written per transaction. A commit waits for the disk (SQLite syncs every one), so on a
 * busy disk larger batches go much faster: at 500 the commits took three quarters of the time.
 */
export const BATCH_SIZE = 2000;

/** Rows per INSERT statement (within both engines' limits on bound values). */
const INSERT_CHUNK = 500;

/** Values per `in (…)` list when looking rows up. */
const LOOKUP_CHUNK = 500;

/** The archive cannot be restored as it is: the message says why, and where (no stack trace). */
export class RestoreError extends Error {
  constructor(
    message: string,
    /** The line of the file at fault, when there is one. */
    readonly line: number | undefined,
    /** What was done before the error (committed). */
    readonly report: RestoreReport,
  ) {
    super(message);
  }
}

export interface RestoreProgress {
  /** Lines of the file read so far. */
  line: number;
  /** Records read so far. */
  records: number;
  /** Rows written so far, all types together. */
  restored: number;
  /** Bytes of the file read so far (a little ahead of the lines taken), and its size. */
  bytesRead: number;
  totalBytes: number;
}

export interface RestoreReport {
  /** What the archive's header says about it. */
  archive: {
    version: number;
    exportedAt: string | null;
    engine: string | null;
    siteId: string | null;
  };
  /** Records read (the header and end lines not counted). */
  read: number;
  /** Rows written, by record type. */
  restored: RecordCounts;
  /** Records whose row was already there (a second run, or a run resumed), by record type. */
  skippedExisting: RecordCounts;
  /** Accounts and stories the instance already had under another id, used in their place. */
  merged: { users: number; stories: number };
  /** SSO/OIDC identities of merged accounts, not linked (the account there keeps its own). */
  identitiesNotLinked: number;
  /** Comments whose parent was neither in the archive nor in the database, with what hung on them. */
  orphaned: number;
  /** Account deletions that were pending, planned again for the date they were due. */
  deletionsScheduled: number;
  /** Settings whose secrets the archive did not carry: to be entered again (`site …: auth.sso.secret`). */
  secretsToEnterAgain: string[];
}

type Row = Record<string, unknown>;
/** The tables written to, by name: rows are built from the archive schema, not typed per table. */
type LooseDb = Kysely<Record<string, Record<string, unknown>>>;

interface Item {
  line: number;
  row: Row;
  /** Site records: the secrets left out of its settings. */
  secretsRemoved?: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const RANK = new Map<string, number>(RECORD_TYPES.map((type, i) => [type, i]));

/** A value as an error message quotes it: JSON, cut after 40 characters. */
function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The file's size, and whether its last byte is a newline (if not, its last line was cut). */
async function fileEnd(path: string): Promise<{ size: number; newline: boolean }> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return { size, newline: false };
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, size - 1);
    return { size, newline: byte[0] === 0x0a };
  } finally {
    await handle.close();
  }
}

async function existing(
  db: LooseDb,
  table: string,
  column: string,
  values: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .selectFrom(table)
      .select(column)
      .where(column, 'in', values.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const row of rows) found.add(String(row[column]));
  }
  return found;
}

/** Inserts rows, leaving any already there; returns how many went in. */
async function insertRows(db: LooseDb, table: string, rows: Row[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const result = await db
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

class Restore {
  readonly report: RestoreReport = {
    archive: { version: 0, exportedAt: null, engine: null, siteId: null },
    read: 0,
    restored: emptyCounts(),
    skippedExisting: emptyCounts(),
    merged: { users: 0, stories: 0 },
    identitiesNotLinked: 0,
    orphaned: 0,
    deletionsScheduled: 0,
    secretsToEnterAgain: [],
  };
  private readonly readCounts = emptyCounts();
  /** Archive ids of accounts and stories merged into ones the instance had, and those ids. */
  private readonly users = new Map<string, string>();
  private readonly stories = new Map<string, string>();
  /** Comments waiting for a parent not yet written, by the id they wait for. */
  private readonly waiting = new Map<string, Item[]>();
  private batch: Item[] = [];
  private batchType: RecordType | null = null;
  private ended = false;
  private headerRead = false;
  line = 0;
  /** Where the file is: set once it is open. */
  bytes = { read: () => 0, total: 0 };

  constructor(
    private readonly store: Pick<Store, 'db'>,
    private readonly onProgress: ((progress: RestoreProgress) => void) | undefined,
  ) {}

  fail(message: string, line: number | undefined = this.line): RestoreError {
    const where = line === undefined ? '' : `line ${line}: `;
    return new RestoreError(`${where}${message}`, line, this.report);
  }

  /** One line of the file; `last` when no line follows it. */
  async take(text: string, last: boolean, cutShort: boolean): Promise<void> {
    this.line++;
    if (this.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (last && cutShort) {
        throw this.fail(
          'the archive ends in the middle of this line: the file was cut short (copy it again, ' +
            'or export again)',
        );
      }
      if (this.line === 1) {
        throw this.fail('this is not a Parley export (the first line is not JSON)');
      }
      throw this.fail(`not valid JSON (${(error as Error).message})`);
    }
    if (!isRecord(value) || typeof value.type !== 'string') {
      throw this.fail(
        this.line === 1
          ? 'this is not a Parley export (the first line is not its header)'
          : 'not a record: each line must be a JSON object with a "type"',
      );
    }
    if (!this.headerRead) return this.header(value);
    if (this.ended) throw this.fail('a record after the end record');
    if (value.type === END_TYPE) return this.end(value);
    const type = value.type as RecordType;
    const rank = RANK.get(type);
    if (rank === undefined) {
      throw this.fail(
        `unknown record type ${describe(value.type)} (a version ` +
          `${ARCHIVE_VERSION} archive has ${RECORD_TYPES.join(', ')})`,
      );
    }
    if (this.batchType !== type) {
      if (this.batchType !== null && (RANK.get(this.batchType) ?? 0) > rank) {
        throw this.fail(
          `a ${type} record after ${this.batchType} records: the records are out of order`,
        );
      }
      await this.flush();
      if (this.batchType === 'comment') this.giveUpWaiting();
      this.batchType = type;
    }
    this.batch.push(this.item(type, value));
    this.readCounts[type]++;
    this.report.read++;
    if (this.batch.length >= BATCH_SIZE) await this.flush();
  }

  private header(value: Record<string, unknown>): void {
    if (value.type !== HEADER_TYPE) {
      throw this.fail(
        `this is not a Parley export (its first record is of type ${describe(value.type)}, not ` +
          `"${HEADER_TYPE}")`,
      );
    }
    const version = value.version;
    if (!Number.isInteger(version) || (version as number) < 1) {
      throw this.fail(`the header's version is not a version number: ${describe(version)}`);
    }
    if ((version as number) > ARCHIVE_VERSION) {
      throw this.fail(
        `the archive is version ${String(version)}, made by a newer Parley; this one reads ` +
          `version ${ARCHIVE_VERSION} archives: upgrade Parley to restore it`,
      );
    }
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    this.report.archive = {
      version: version as number,
      exportedAt: text(value.exportedAt),
      engine: text(value.engine),
      siteId: text(value.siteId),
    };
    this.headerRead = true;
  }

  private async end(value: Record<string, unknown>): Promise<void> {
    await this.flush();
    if (this.batchType === 'comment') this.giveUpWaiting();
    this.batchType = null;
    this.ended = true;
    const counts = value.counts;
    if (!isRecord(counts)) throw this.fail('the end record has no counts');
    const differ = RECORD_TYPES.filter((type) => (counts[type] ?? 0) !== this.readCounts[type]);
    if (differ.length > 0) {
      const [type] = differ as [RecordType];
      throw this.fail(
        `the end record counts ${String(counts[type] ?? 0)} ${type} records but the archive ` +
          `holds ${this.readCounts[type]}: it was altered (what it holds is restored)`,
      );
    }
  }

  /** The end of the file: it must have come after the end record. */
  async finish(): Promise<void> {
    if (this.ended) return;
    await this.flush();
    if (this.line === 0) throw this.fail('the file is empty: it is not a Parley export', undefined);
    throw this.fail(
      `the archive ends here without its end record: the file was cut short. The ` +
        `${this.report.read} records before are restored; restore the complete file to finish ` +
        '(running it again changes nothing already restored)',
    );
  }

  /** A record's row, checked against the schema (an error names the line and the field). */
  private item(type: RecordType, record: Record<string, unknown>): Item {
    const row: Row = {};
    for (const field of SPECS[type].fields) {
      row[field.column] = this.value(type, field, record[field.name]);
    }
    if (type === 'user') row.password_hash = null;
    const item: Item = { line: this.line, row };
    if (type === 'site' && Array.isArray(record.secretsRemoved)) {
      item.secretsRemoved = record.secretsRemoved.filter((s): s is string => typeof s === 'string');
    }
    return item;
  }

  private value(type: RecordType, field: FieldSpec, value: unknown): unknown {
    const nullable = field.kind.endsWith('?');
    // A field newer than the archive (a version 1 archive has no Q&A): the column's default.
    if (value === undefined && field.absent !== undefined) value = field.absent;
    if (value === undefined || value === null) {
      if (nullable) return null;
      throw this.fail(`a ${type} record without its "${field.name}"`);
    }
    const wrong = (expected: string) =>
      this.fail(`a ${type} record whose "${field.name}" is not ${expected}: ${describe(value)}`);
    switch (field.kind) {
      case 'text':
      case 'text?':
        if (typeof value !== 'string') throw wrong('a string');
        if (field.values && !field.values.includes(value)) {
          throw wrong(`one of ${field.values.join(', ')}`);
        }
        return value;
      case 'int':
        if (!Number.isSafeInteger(value)) throw wrong('an integer');
        return value;
      case 'flag':
        if (typeof value !== 'boolean') throw wrong('true or false');
        return value ? 1 : 0;
      case 'time':
      case 'time?': {
        const time = typeof value === 'string' ? new Date(value) : null;
        if (!time || Number.isNaN(time.getTime())) throw wrong('a date and time (ISO 8601)');
        return time.toISOString();
      }
      case 'json':
      case 'json?':
        return JSON.stringify(value);
    }
  }

  /** Writes the records read since the last batch, in one transaction. */
  async flush(): Promise<void> {
    const items = this.batch;
    const type = this.batchType;
    if (items.length === 0 || type === null) return;
    this.batch = [];
    try {
      await this.store.db
        .transaction()
        .execute((trx) => this.write(trx as unknown as LooseDb, type, items));
    } catch (error) {
      const first = items[0]?.line;
      const last = items[items.length - 1]?.line;
      throw this.fail(
        `the ${type} records of lines ${first}–${last} could not be written: ${(error as Error).message}`,
        first,
      );
    }
    const restored = RECORD_TYPES.reduce((sum, t) => sum + this.report.restored[t], 0);
    this.onProgress?.({
      line: this.line,
      records: this.report.read,
      restored,
      bytesRead: this.bytes.read(),
      totalBytes: this.bytes.total,
    });
  }

  private count(type: RecordType, written: number, existing: number): void {
    this.report.restored[type] += written;
    this.report.skippedExisting[type] += existing;
  }

  private async write(db: LooseDb, type: RecordType, items: Item[]): Promise<void> {
    const mapped = (map: Map<string, string>, id: unknown) =>
      typeof id === 'string' ? (map.get(id) ?? id) : id;
    const rows = items.map((item) => item.row);
    switch (type) {
      case 'site':
        return this.writeSites(db, items);
      case 'story':
        return this.writeStories(db, rows);
      case 'user':
        return this.writeUsers(db, rows);
      case 'identity': {
        const linked = rows.filter((row) => !this.users.has(row.user_id as string));
        this.report.identitiesNotLinked += rows.length - linked.length;
        const written = await insertRows(db, 'user_identities', linked);
        return this.count(type, written, linked.length - written);
      }
      case 'profile_setting':
        // A merged account takes the archive's choice only if it has made none of its own (the
        // insert leaves a row there): a history kept private stays private.
        for (const row of rows) row.user_id = mapped(this.users, row.user_id);
        break;
      case 'ignore': {
        for (const row of rows) {
          row.user_id = mapped(this.users, row.user_id);
          row.ignored_user_id = mapped(this.users, row.ignored_user_id);
        }
        // Two archive accounts merged into one: no one ignores themselves.
        const kept = rows.filter((row) => row.user_id !== row.ignored_user_id);
        const written = await insertRows(db, 'ignores', kept);
        return this.count(type, written, rows.length - written);
      }
      case 'story_expert':
        for (const row of rows) {
          row.story_id = mapped(this.stories, row.story_id);
          row.user_id = mapped(this.users, row.user_id);
        }
        break;
      case 'comment':
        for (const row of rows) {
          row.author_id = mapped(this.users, row.author_id);
          row.story_id = mapped(this.stories, row.story_id);
        }
        return this.writeComments(db, items);
      case 'reaction':
      case 'question_vote':
      case 'report': {
        // Left out with their comment: one that never found its parent, or (in an edited
        // archive) one that is not there at all.
        const there = await existing(db, 'comments', 'id', [
          ...new Set(rows.map((row) => row.comment_id as string)),
        ]);
        const kept = rows.filter((row) => there.has(row.comment_id as string));
        this.report.orphaned += rows.length - kept.length;
        for (const row of kept) row.user_id = mapped(this.users, row.user_id);
        const written = await insertRows(db, SPECS[type].table, kept);
        return this.count(type, written, kept.length - written);
      }
      case 'moderation_action':
        for (const row of rows) {
          row.actor_id = mapped(this.users, row.actor_id);
          row.user_id = mapped(this.users, row.user_id);
        }
        break;
      case 'user_note':
        for (const row of rows) {
          row.user_id = mapped(this.users, row.user_id);
          row.author_id = mapped(this.users, row.author_id);
        }
        break;
      case 'import_source':
        for (const row of rows) {
          if (row.kind === 'author') row.target_id = mapped(this.users, row.target_id);
          if (row.kind === 'story') row.target_id = mapped(this.stories, row.target_id);
        }
        break;
      case 'import_run':
        for (const row of rows) row.started_by = mapped(this.users, row.started_by);
        break;
    }
    const written = await insertRows(db, SPECS[type].table, rows);
    this.count(type, written, rows.length - written);
  }

  private async writeSites(db: LooseDb, items: Item[]): Promise<void> {
    const there = await existing(
      db,
      'sites',
      'id',
      items.map((item) => item.row.id as string),
    );
    const fresh = items.filter((item) => !there.has(item.row.id as string));
    const written = await insertRows(
      db,
      'sites',
      fresh.map((item) => item.row),
    );
    this.count('site', written, items.length - written);
    for (const item of fresh) {
      for (const path of item.secretsRemoved ?? []) {
        this.report.secretsToEnterAgain.push(
          `site "${String(item.row.name)}" (${String(item.row.id)}): ${path}`,
        );
      }
    }
  }

  /** A story the site has under the same identifier (or address, without one) is merged. */
  private async writeStories(db: LooseDb, rows: Row[]): Promise<void> {
    const there = await existing(
      db,
      'stories',
      'id',
      rows.map((row) => row.id as string),
    );
    const candidates = rows.filter((row) => !there.has(row.id as string));
    const bySite = new Map<string, Row[]>();
    for (const row of candidates) {
      const site = row.site_id as string;
      bySite.set(site, [...(bySite.get(site) ?? []), row]);
    }
    const fresh: Row[] = [];
    for (const [siteId, siteRows] of bySite) {
      const identifiers = siteRows.flatMap((row) =>
        row.external_id === null ? [] : [row.external_id as string],
      );
      const urls = siteRows.flatMap((row) => (row.external_id === null ? [row.url as string] : []));
      const found = await db
        .selectFrom('stories')
        .select(['id', 'external_id', 'url'])
        .where('site_id', '=', siteId)
        .where((eb) =>
          eb.or([
            ...(identifiers.length ? [eb('external_id', 'in', identifiers)] : []),
            ...(urls.length
              ? [eb.and([eb('external_id', 'is', null), eb('url', 'in', urls)])]
              : []),
          ]),
        )
        .execute();
      const byIdentifier = new Map<string, string>();
      const byUrl = new Map<string, string>();
      for (const story of found) {
        if (story.external_id === null) byUrl.set(String(story.url), String(story.id));
        else byIdentifier.set(String(story.external_id), String(story.id));
      }
      for (const row of siteRows) {
        const match =
          row.external_id === null
            ? byUrl.get(row.url as string)
            : byIdentifier.get(row.external_id as string);
        if (match === undefined) {
          fresh.push(row);
        } else {
          this.stories.set(row.id as string, match);
          this.report.merged.stories++;
        }
      }
    }
    const written = await insertRows(db, 'stories', fresh);
    this.count('story', written, there.size + fresh.length - written);
  }

  /**
   * An address the instance has under another id is that account: the archive's is merged into
   * it. A pending deletion is planned again (the job that was to carry it out is not exported).
   */
  private async writeUsers(db: LooseDb, rows: Row[]): Promise<void> {
    const ids = rows.map((row) => row.id as string);
    const emails = rows.map((row) => row.email as string);
    const holders = new Map<string, string>();
    const there = new Set<string>();
    for (let i = 0; i < rows.length; i += LOOKUP_CHUNK) {
      const found = await db
        .selectFrom('users')
        .select(['id', 'email'])
        .where((eb) =>
          eb.or([
            eb('id', 'in', ids.slice(i, i + LOOKUP_CHUNK)),
            eb('email', 'in', emails.slice(i, i + LOOKUP_CHUNK)),
          ]),
        )
        .execute();
      for (const user of found) {
        there.add(String(user.id));
        holders.set(String(user.email), String(user.id));
      }
    }
    const fresh: Row[] = [];
    let skipped = 0;
    for (const row of rows) {
      const id = row.id as string;
      const holder = holders.get(row.email as string);
      if (there.has(id)) {
        skipped++;
      } else if (holder !== undefined) {
        this.users.set(id, holder);
        this.report.merged.users++;
      } else {
        fresh.push(row);
        holders.set(row.email as string, id); // a second record with the address is merged too
      }
    }
    const written = await insertRows(db, 'users', fresh);
    this.count('user', written, skipped + fresh.length - written);
    for (const row of fresh) {
      if (row.deletion_due_at === null || row.deleted_at !== null) continue;
      const userId = row.id as string;
      await enqueueJob(
        db as unknown as Kysely<Database>,
        ACCOUNT_DELETE_JOB,
        { userId },
        { id: `restored-deletion-${userId}`, runAt: new Date(row.deletion_due_at as string) },
      );
      this.report.deletionsScheduled++;
    }
  }

  /**
   * Comments whose parent (and thread parent) is written already, or in this batch, go in, parents
   * first; the others wait for theirs, and go in with it.
   */
  private async writeComments(db: LooseDb, items: Item[]): Promise<void> {
    const refsOf = (row: Row) =>
      [row.parent_id, row.thread_parent_id].filter((ref): ref is string => typeof ref === 'string');
    const available = new Set<string>();
    const looked = new Set<string>();
    const lookUp = async (queue: Item[]) => {
      const unknown = new Set<string>();
      for (const item of queue) {
        for (const ref of refsOf(item.row))
          if (!available.has(ref) && !looked.has(ref)) unknown.add(ref);
      }
      for (const ref of unknown) looked.add(ref);
      for (const id of await existing(db, 'comments', 'id', [...unknown])) available.add(id);
      return unknown.size > 0;
    };
    const ready: Row[] = [];
    let queue = items;
    for (;;) {
      let progressed = true;
      while (progressed && queue.length > 0) {
        progressed = false;
        const next: Item[] = [];
        for (const item of queue) {
          if (!refsOf(item.row).every((ref) => available.has(ref))) {
            next.push(item);
            continue;
          }
          const id = item.row.id as string;
          ready.push(item.row);
          available.add(id);
          progressed = true;
          const children = this.waiting.get(id);
          if (children) {
            this.waiting.delete(id);
            next.push(...children);
          }
        }
        queue = next;
      }
      // Parents written before this batch (or by an earlier run) are looked up once.
      if (queue.length === 0 || !(await lookUp(queue))) break;
    }
    for (const item of queue) {
      const missing = refsOf(item.row).find((ref) => !available.has(ref)) as string;
      this.waiting.set(missing, [...(this.waiting.get(missing) ?? []), item]);
    }
    // The Best key follows from the respects, views and date the archive carries (docs/sorting.md;
    // a version 1 archive has no views: they count as none).
    const written = await insertRows(
      db,
      'comments',
      ready.map((row) => ({
        ...row,
        best_key: bestKey({
          respects: Number(row.reaction_count ?? 0),
          views: Number(row.view_count ?? 0),
          createdAt: row.created_at as string | Date,
        }),
      })),
    );
    this.count('comment', written, ready.length - written);
  }

  /** The comments are all read: those still waiting have no parent to wait for. */
  private giveUpWaiting(): void {
    for (const children of this.waiting.values()) this.report.orphaned += children.length;
    this.waiting.clear();
  }
}

/**
 * Restores the archive at `path` into the store's database (see the module comment). Resolves
 * with the report; rejects with a RestoreError (carrying the report of what was committed) when
 * the archive cannot be restored in full.
 */
export async function restoreParleyExport(
  store: Pick<Store, 'db'>,
  path: string,
  options: { onProgress?: ((progress: RestoreProgress) => void) | undefined } = {},
): Promise<RestoreReport> {
  const restore = new Restore(store, options.onProgress);
  let end: { size: number; newline: boolean };
  try {
    end = await fileEnd(path);
  } catch (error) {
    throw restore.fail(`cannot read ${path}: ${(error as Error).message}`, undefined);
  }
  const cutShort = !end.newline;
  const input = fs.createReadStream(path, { encoding: 'utf8' });
  restore.bytes = { read: () => input.bytesRead, total: end.size };
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  try {
    // Each line is taken once the next is known, so that the last one is known as the last.
    let previous: string | undefined;
    for await (const line of lines) {
      if (previous !== undefined) await restore.take(previous, false, cutShort);
      previous = line;
    }
    if (previous !== undefined) await restore.take(previous, true, cutShort);
    await restore.finish();
  } catch (error) {
    // Complete records read before the failing line are written: what is committed is
    // everything before it, and a second run (of the fixed file) picks up from there.
    if (error instanceof RestoreError && error.line !== undefined) await restore.flush();
    if (error instanceof RestoreError) throw error;
    throw restore.fail(`cannot restore ${path}: ${(error as Error).message}`);
  } finally {
    lines.close();
    input.destroy();
  }
  return restore.report;
}
