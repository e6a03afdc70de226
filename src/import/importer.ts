/**
 * An import: a source file read as a stream of items (formats/), turned into Parley's stories,
 * imported authors' profiles and comments, and written in batches of one transaction each.
 *
 * - Idempotent and resumable: every row written is recorded in `import_sources` with the source's
 *   id, in the batch's own transaction. Running the file again finds each item there and changes
 *   nothing; a run killed half way committed whole batches only, so running it again skips what
 *   they held and writes the rest. Skipped items are recorded too (with no target), so a re-run
 *   does not report them as new.
 * - Faithful: original dates (and time-ordered ids made from them, so Parley's sorts hold),
 *   nesting (deeper than the site allows is flattened as the site flattens replies), states
 *   (approved; pending → the pending queue; spam → rejected, "imported as spam"; deleted → a
 *   tombstone where it has replies, else nothing), closed threads → closed stories, likes →
 *   the comment's reaction count. Bodies go through html-to-markdown.ts and then the renderer
 *   every comment goes through.
 * - Constant memory: a batch, the source's threads (far fewer than comments), and bounded caches
 *   of recent comments, authors and stories; anything older is looked up in the database. Replies
 *   that arrive before their parent wait for it (exports are nearly always in order); those whose
 *   parent never comes are reported as orphans.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { DISPLAY_NAME_MAX } from '../domain/display-name.ts';
import { newId } from '../domain/ids.ts';
import { placeReply } from '../domain/thread.ts';
import { normaliseStoryUrl, MAX_STORY_URL_LENGTH } from '../domain/story-url.ts';
import { isUniqueViolation } from '../store/constraints.ts';
import type { Store } from '../store/db.ts';
import {
  findConfirmedUsers,
  findImported,
  findImportedComments,
  findRunningImports,
  refreshImportStatistics,
  findStoriesByKeys,
  insertImportRun,
  updateImportRun,
  writeImportBatch,
  type ImportBatch,
  type ImportedPlacement,
  type SourceKey,
} from '../store/imports.ts';
import type { Site } from '../store/rows.ts';
import { claimHash } from '../store/users.ts';
import { HOLDING, type Classifier } from '../domain/moderation/phases/classifier.ts';
import type { SourceFormat } from './formats/index.ts';
import { convertBody, UNWANTED, type ConvertedBody } from './convert.ts';
import { Converter } from './converter.ts';
import {
  ImportFormatError,
  type ReaderProgress,
  type SkipReason,
  type SourceComment,
  type SourceStory,
} from './records.ts';
import { bestKey } from '../domain/best.ts';

export const DEFAULT_BATCH_SIZE = 1000;
/** A running import that has not committed a batch for this long is taken to have died. */
const STALE_RUN_MS = 2 * 60_000;
/** Recent comments, authors and stories kept in memory; older ones are looked up. */
const CACHE_ENTRIES = 20_000;
/** Examples kept per skip reason in the report. */
const EXAMPLES = 5;
/** A body longer than this (characters) is not a comment anyone wrote by hand. */
export const MAX_IMPORTED_BODY = 100_000;

export interface ImportProgress extends ReaderProgress {
  items: number;
  imported: number;
  elapsedMs: number;
}

export interface ImportOptions {
  site: Site;
  format: SourceFormat;
  file: string;
  /** Read, convert and match everything, write nothing. */
  dryRun?: boolean;
  /** Source URL or identifier → the URL the story has now (`--story-map`). */
  storyMap?: Map<string, string>;
  /** Resolves sources' relative story addresses (Isso's paths). */
  baseUrl?: string;
  startedBy?: string | null;
  /** The run's id, when the caller names it before it starts (the dashboard's upload). */
  runId?: string;
  /** The file's name as the operator knows it (an upload is kept under another). */
  fileName?: string;
  batchSize?: number;
  /**
   * `--score`: the classifier scores every published imported comment, and those at or above the
   * site's hold threshold stay published but wait in the Unmoderated queue, tagged for review.
   */
  classifier?: Classifier;
  /** Recent comments and authors kept in memory (default 20,000; tests make it small). */
  cacheEntries?: number;
  /** Worker threads converting bodies beside the one reading and writing (0: none). */
  threads?: number;
  onProgress?: (progress: ImportProgress) => void;
  now?: () => Date;
}

interface SkipTally {
  count: number;
  examples: { sourceId: string; detail: string }[];
}

export interface ImportReport {
  runId: string | null;
  format: string;
  file: string;
  dryRun: boolean;
  state: 'running' | 'done' | 'failed';
  /** Bytes of the file read so far, and in all. */
  progress: ReaderProgress;
  read: { stories: number; comments: number; items: number };
  stories: { created: number; matched: number; known: number };
  authors: { created: number; merged: number; known: number };
  comments: {
    imported: number;
    /** Already imported by an earlier run: left as they are. */
    unchanged: number;
    approved: number;
    pending: number;
    rejected: number;
    tombstones: number;
    /** With --score: published comments the classifier sent to the Unmoderated queue. */
    toReview: number;
  };
  skipped: Partial<Record<SkipReason, SkipTally>>;
  warnings: string[];
  error: string | null;
  durationMs: number;
}

/** An import that cannot start (unknown site, unreadable story map…): exit code 1, no trace. */
export class ImportError extends Error {}

interface StoryTarget {
  id: string;
  closed: boolean;
}

/** A comment read, waiting in the batch, with what it becomes once placed. */
interface Pending {
  comment: SourceComment;
  /** A deleted comment kept as a tombstone because replies answer it. */
  tombstone: boolean;
}

/**
 * The most recently used entries, up to a limit. Looking an entry up makes it recent: what a batch
 * found in memory while looking up must still be there when the batch is placed (an entry left to
 * age out meanwhile made replies wait for a parent already imported, and authors imported twice).
 */
class Bounded<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}
  get(key: K): V | undefined {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key) as V;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }
  /** Whether the key is held, making it recent if so. */
  has(key: K): boolean {
    if (!this.map.has(key)) return false;
    this.get(key);
    return true;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as K);
  }
}

function emptyReport(options: ImportOptions): ImportReport {
  return {
    runId: null,
    format: options.format.name,
    file: options.fileName ?? path.basename(options.file),
    dryRun: !!options.dryRun,
    state: 'running',
    progress: { bytesRead: 0, totalBytes: 0 },
    read: { stories: 0, comments: 0, items: 0 },
    stories: { created: 0, matched: 0, known: 0 },
    authors: { created: 0, merged: 0, known: 0 },
    comments: {
      imported: 0,
      unchanged: 0,
      approved: 0,
      pending: 0,
      rejected: 0,
      tombstones: 0,
      toReview: 0,
    },
    skipped: {},
    warnings: [],
    error: null,
    durationMs: 0,
  };
}

function cleanLine(text: string, maxLength: number): string {
  const clean = text.replace(UNWANTED, '').replace(/\s+/g, ' ').trim();
  return [...clean].slice(0, maxLength).join('');
}

const cleanName = (name: string) => cleanLine(name, DISPLAY_NAME_MAX) || 'Anonymous';

export class Importer {
  private readonly key: SourceKey;
  private readonly report: ImportReport;
  private readonly batchSize: number;
  private readonly now: () => Date;
  /** The source's threads as read (the file announces each before, or among, its comments). */
  private readonly threads = new Map<string, SourceStory>();
  private readonly stories = new Map<string, StoryTarget | null>();
  private readonly authors: Bounded<string, string>;
  /** Comments placed (this run or before): where their replies go; null: not imported. */
  private readonly placed: Bounded<string, ImportedPlacement | null>;
  /** Deleted comments, made tombstones only if a reply needs them. */
  private readonly deleted = new Map<string, SourceComment>();
  /** Replies waiting for their parent, by the parent's source id. */
  private readonly waiting = new Map<string, SourceComment[]>();
  private incoming: SourceComment[] = [];
  /** Bodies converted (on worker threads), until their comment is placed. */
  private readonly converted = new WeakMap<SourceComment, ConvertedBody>();
  /** Made when the file is read (a run refused before that must not leave a thread open). */
  private converter: Converter = new Converter(0);
  /** The batch being converted, placed and written. */
  private processing: Promise<void> = Promise.resolve();
  private batch!: ImportBatch;
  private imported = 0;
  private batchesWritten = 0;
  private readonly started = Date.now();

  constructor(
    private readonly store: Store,
    private readonly options: ImportOptions,
  ) {
    this.key = { siteId: options.site.id, source: options.format.source };
    this.report = emptyReport(options);
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.now = options.now ?? (() => new Date());
    // A dry run commits nothing, so nothing it placed can be looked up again: it keeps all.
    // A batch touches at most a few entries per comment (itself, its parent, its author): the
    // caches hold many batches' worth, so nothing a batch looked up ages out while it is placed.
    const entries = Math.max(options.cacheEntries ?? CACHE_ENTRIES, this.batchSize * 4);
    this.placed = new Bounded(options.dryRun ? Number.MAX_SAFE_INTEGER : entries);
    this.authors = new Bounded(entries);
    this.resetBatch();
  }

  /** Claims the site and records the run (not for a dry run); returns the run's id. */
  async start(): Promise<string | null> {
    const { options, store } = this;
    this.report.progress.totalBytes =
      fs.statSync(options.file, { throwIfNoEntry: false })?.size ?? 0;
    // Statistics as the tables are now: a re-run looks up every row of the file.
    if (store.engine === 'postgres') await refreshImportStatistics(store.db);
    if (options.dryRun) return null;
    await this.claimSite();
    this.report.runId = options.runId ?? newId();
    try {
      await insertImportRun(store.db, {
        id: this.report.runId,
        siteId: options.site.id,
        format: options.format.name,
        fileName: options.fileName ?? path.basename(options.file),
        fileBytes: this.report.progress.totalBytes,
        state: 'running',
        dryRun: false,
        startedBy: options.startedBy ?? null,
        startedAt: this.now().toISOString(),
        report: this.report,
      });
    } catch (error) {
      // Another run claimed the site between the check above and this insert.
      if (isUniqueViolation(error)) {
        throw new ImportError(`another import into site ${options.site.id} has just started`);
      }
      throw error;
    }
    return this.report.runId;
  }

  /** Reads the file and writes what it holds; the report says how it ended. */
  async process(): Promise<ImportReport> {
    const progress = this.report.progress;
    this.converter = new Converter(this.options.threads ?? 0);
    try {
      for await (const item of this.options.format.read(this.options.file, progress)) {
        this.report.read.items++;
        if (item.kind === 'story') {
          this.report.read.stories++;
          this.threads.set(item.story.sourceId, item.story);
        } else if (item.kind === 'comment') {
          this.report.read.comments++;
          this.incoming.push(item.comment);
          if (this.incoming.length >= this.batchSize) {
            await this.flush();
            this.progress();
          }
        } else {
          this.skip(item.reason, item.sourceId, item.detail, false);
        }
      }
      await this.flush();
      await this.processing;
      await this.finish();
      progress.bytesRead = progress.totalBytes;
      this.progress();
      return await this.close('done', null);
    } catch (error) {
      // A batch may still be converting or writing: let it end before the run is closed.
      await this.processing.catch(() => undefined);
      return await this.close('failed', error);
    } finally {
      await this.converter.close();
    }
  }

  async run(): Promise<ImportReport> {
    await this.start();
    return this.process();
  }

  /**
   * One import per site at a time: two runs of one file would both find a comment missing and
   * both write it. A run that stopped answering (killed) is marked failed and its file can be run
   * again, which resumes it.
   */
  private async claimSite() {
    const running = await findRunningImports(this.store.db, this.key.siteId);
    const now = this.now().getTime();
    for (const run of running) {
      if (now - Date.parse(run.heartbeatAt) < STALE_RUN_MS) {
        throw new ImportError(
          `another import into site ${this.key.siteId} is running (run ${run.id}, ` +
            `${run.format} ${run.fileName}, started ${run.startedAt}); wait for it to finish`,
        );
      }
      await updateImportRun(this.store.db, run.id, {
        state: 'failed',
        error: 'interrupted: the run stopped before finishing (run the same file again to resume)',
        finishedAt: this.now().toISOString(),
      });
    }
  }

  private progress() {
    this.options.onProgress?.({
      ...this.report.progress,
      items: this.report.read.items,
      imported: this.imported,
      elapsedMs: Date.now() - this.started,
    });
  }

  private async close(state: 'done' | 'failed', error: unknown): Promise<ImportReport> {
    this.report.state = state;
    this.report.durationMs = Date.now() - this.started;
    this.report.error = error ? (error instanceof Error ? error.message : String(error)) : null;
    if (this.report.runId) {
      await updateImportRun(this.store.db, this.report.runId, {
        state,
        report: this.report,
        error: this.report.error,
        finishedAt: this.now().toISOString(),
      }).catch(() => undefined);
    }
    // A file Parley cannot read ends the run with a report; anything else (the database) is
    // Parley's failure, and the caller's to show.
    if (error && !(error instanceof ImportFormatError)) throw error;
    return this.report;
  }

  private resetBatch() {
    this.batch = {
      stories: [],
      users: [],
      comments: [],
      sources: [],
      storyCounts: new Map(),
      replyCounts: new Map(),
    };
  }

  private skip(reason: SkipReason, sourceId: string, detail: string, record: boolean) {
    const tally = (this.report.skipped[reason] ??= { count: 0, examples: [] });
    tally.count++;
    if (tally.examples.length < EXAMPLES) tally.examples.push({ sourceId, detail });
    if (record && sourceId) this.batch.sources.push({ kind: 'comment', sourceId, targetId: null });
  }

  /** Places the comments read since the last batch and writes what they became. */
  /**
   * Hands the comments read since the last batch to the converter, and once the batch before has
   * been written, places and writes them. Reading goes on while a batch converts, at most one batch
   * ahead of the writing.
   */
  private async flush(): Promise<void> {
    const incoming = this.incoming;
    this.incoming = [];
    const bodies = incoming.filter((comment) => comment.state !== 'deleted');
    const converting = this.converter.convert(
      bodies.map((comment) => comment.body),
      MAX_IMPORTED_BODY,
    );
    const previous = this.processing;
    this.processing = (async () => {
      await previous;
      const results = await converting;
      bodies.forEach((comment, i) => this.converted.set(comment, results[i] as ConvertedBody));
      await this.placeAll(incoming);
    })();
    // Seen as handled now; whoever awaits it next still gets its failure.
    this.processing.catch(() => undefined);
    await previous;
  }

  private async placeAll(incoming: SourceComment[]): Promise<void> {
    if (incoming.length === 0 && this.batch.comments.length === 0) return;
    await this.lookUp(incoming);
    for (const comment of incoming) {
      const known = this.placed.get(comment.sourceId);
      if (known !== undefined || this.placed.has(comment.sourceId)) {
        this.report.comments.unchanged++;
        continue;
      }
      await this.handle({ comment, tombstone: false });
    }
    await this.write();
  }

  /** Loads, in a few queries, what this batch refers to and is not in memory. */
  private async lookUp(incoming: SourceComment[]) {
    const db = this.store.db;
    const commentIds = new Set<string>();
    const storyIds = new Set<string>();
    const authorKeys = new Map<string, string | null>();
    for (const c of incoming) {
      if (!this.placed.has(c.sourceId)) commentIds.add(c.sourceId);
      if (c.parentSourceId && !this.placed.has(c.parentSourceId)) commentIds.add(c.parentSourceId);
      if (!this.stories.has(c.storySourceId)) storyIds.add(c.storySourceId);
      if (!this.authors.has(c.author.key)) authorKeys.set(c.author.key, c.author.email);
    }
    if (commentIds.size) {
      const found = await findImportedComments(db, this.key, [...commentIds]);
      for (const [id, placement] of found) this.placed.set(id, placement);
    }
    if (storyIds.size) await this.resolveStories([...storyIds]);
    if (authorKeys.size) {
      const found = await findImported(db, this.key, 'author', [...authorKeys.keys()]);
      for (const [key, id] of found) {
        if (id) {
          this.authors.set(key, id);
          this.report.authors.known++;
        }
      }
      const emails = [...authorKeys]
        .filter(([key, email]) => !found.has(key) && email)
        .map(([, email]) => (email as string).toLowerCase());
      if (emails.length) {
        const users = await findConfirmedUsers(db, emails);
        for (const [key, email] of authorKeys) {
          const user = email && !found.has(key) ? users.get(email.toLowerCase()) : undefined;
          if (user) {
            this.authors.set(key, user);
            this.report.authors.merged++;
            this.batch.sources.push({ kind: 'author', sourceId: key, targetId: user });
          }
        }
      }
    }
  }

  /**
   * The story's address: mapped by `--story-map` (by URL or identifier), resolved against
   * `--base-url` when the source keeps only paths (Isso, Comentario), and normalised as the widget
   * normalises the addresses it reports.
   */
  private storyUrl(story: SourceStory): string | null {
    const map = this.options.storyMap;
    const path = story.identifier?.startsWith('/') ? story.identifier : null;
    const mapped =
      (story.url && map?.get(story.url)) ||
      (story.identifier && map?.get(story.identifier)) ||
      story.url ||
      (this.options.baseUrl ? path : null);
    if (!mapped) return null;
    try {
      const absolute = this.options.baseUrl ? new URL(mapped, this.options.baseUrl).href : mapped;
      return normaliseStoryUrl(absolute).href;
    } catch {
      return null;
    }
  }

  private async resolveStories(sourceIds: string[]) {
    const db = this.store.db;
    const known = await findImported(db, this.key, 'story', sourceIds);
    const toMatch: { sourceId: string; story: SourceStory; url: string | null }[] = [];
    for (const sourceId of sourceIds) {
      const target = known.get(sourceId);
      if (target) {
        this.stories.set(sourceId, { id: target, closed: false });
        this.report.stories.known++;
        continue;
      }
      const story = this.threads.get(sourceId);
      if (!story) {
        this.stories.set(sourceId, null);
        continue;
      }
      toMatch.push({ sourceId, story, url: this.storyUrl(story) });
    }
    if (toMatch.length === 0) return;
    const identifiers = toMatch.flatMap((m) => (m.story.identifier ? [m.story.identifier] : []));
    const urls = toMatch.flatMap((m) => (m.url ? [m.url] : []));
    const existing = await findStoriesByKeys(db, this.key.siteId, identifiers, urls);
    const byIdentifier = new Map(
      existing.filter((s) => s.externalId).map((s) => [s.externalId, s]),
    );
    const byUrl = new Map(existing.map((s) => [s.url, s]));
    const origins = new Set(this.options.site.allowedOrigins);
    for (const { sourceId, story, url } of toMatch) {
      const match =
        (story.identifier && byIdentifier.get(story.identifier)) || (url && byUrl.get(url));
      if (match) {
        this.stories.set(sourceId, { id: match.id, closed: match.closed });
        this.batch.sources.push({ kind: 'story', sourceId, targetId: match.id });
        this.report.stories.matched++;
        continue;
      }
      if (!url) {
        this.stories.set(sourceId, null);
        this.warn(
          `thread ${sourceId} has no usable URL${story.url ? ` (${story.url.slice(0, 100)})` : ''}; ` +
            'its comments are skipped (give --base-url or a --story-map)',
        );
        continue;
      }
      if (!origins.has(new URL(url).origin)) {
        this.warn(`stories on ${new URL(url).origin} are not on an allowed origin of the site`);
      }
      const id = newId(story.createdAt?.getTime());
      this.batch.stories.push({
        id,
        site_id: this.key.siteId,
        // A publisher's id for the article becomes the story's (what the widget's data-story-id
        // names); a path (Isso, Comentario) is only the address again.
        external_id: story.identifier?.startsWith('/')
          ? null
          : (story.identifier?.slice(0, 200) ?? null),
        url: url.slice(0, MAX_STORY_URL_LENGTH),
        title: story.title ? cleanLine(story.title, 500) || null : null,
        closed: story.closed ? 1 : 0,
        created_at: (story.createdAt ?? this.now()).toISOString(),
      });
      this.batch.sources.push({ kind: 'story', sourceId, targetId: id });
      this.stories.set(sourceId, { id, closed: story.closed });
      // Identifiers and URLs are unique per site: a second thread of the file with the same
      // key joins this story rather than failing the batch.
      if (story.identifier)
        byIdentifier.set(story.identifier, {
          id,
          externalId: story.identifier,
          url,
          closed: story.closed,
        });
      byUrl.set(url, { id, externalId: story.identifier, url, closed: story.closed });
      this.report.stories.created++;
    }
  }

  private readonly warned = new Set<string>();
  private warn(message: string) {
    if (this.warned.has(message) || this.report.warnings.length >= 20) return;
    this.warned.add(message);
    this.report.warnings.push(message);
  }

  private authorOf(comment: SourceComment): string {
    const existing = this.authors.get(comment.author.key);
    if (existing) return existing;
    const id = newId();
    const now = this.now().toISOString();
    this.batch.users.push({
      id,
      // Never an address: imported authors are not mailed, and cannot sign in with it.
      email: `imported.${id.toLowerCase()}@parley.invalid`,
      display_name: cleanName(comment.author.name),
      claim_email_hash: comment.author.email ? claimHash(comment.author.email) : null,
      created_at: now,
      imported_at: now,
    });
    this.batch.sources.push({ kind: 'author', sourceId: comment.author.key, targetId: id });
    this.authors.set(comment.author.key, id);
    this.report.authors.created++;
    return id;
  }

  /** Places one comment (and any replies that were waiting for it), or holds or skips it. */
  private async handle(pending: Pending): Promise<void> {
    const { comment } = pending;
    if (comment.state === 'deleted' && !pending.tombstone) {
      if (this.waiting.has(comment.sourceId)) {
        pending.tombstone = true;
      } else {
        this.deleted.set(comment.sourceId, comment);
        return;
      }
    }
    const story = this.stories.get(comment.storySourceId);
    if (story === undefined) {
      // A thread first referred to after this batch was looked up (a released reply).
      await this.resolveStories([comment.storySourceId]);
      return this.handle(pending);
    }
    if (story === null) {
      this.skip(
        'unknown_thread',
        comment.sourceId,
        `thread ${comment.storySourceId} is not importable`,
        true,
      );
      this.placed.set(comment.sourceId, null);
      return this.release(comment.sourceId);
    }
    let parent: ImportedPlacement | null = null;
    if (comment.parentSourceId) {
      let found = this.placed.get(comment.parentSourceId);
      if (found === undefined && !this.deleted.has(comment.parentSourceId)) {
        // Not looked up with the batch: the parent of a deleted comment made a tombstone only now
        // (its reply arrived), imported long ago and no longer in memory.
        const fetched = await findImportedComments(this.store.db, this.key, [
          comment.parentSourceId,
        ]);
        found = fetched.get(comment.parentSourceId);
        if (fetched.has(comment.parentSourceId))
          this.placed.set(comment.parentSourceId, found ?? null);
      }
      if (found === undefined) {
        const deletedParent = this.deleted.get(comment.parentSourceId);
        this.wait(comment);
        if (deletedParent) {
          this.deleted.delete(comment.parentSourceId);
          await this.handle({ comment: deletedParent, tombstone: true });
        }
        return;
      }
      if (found === null || found.storyId !== story.id) {
        this.skip(
          'orphan',
          comment.sourceId,
          found === null
            ? `answers ${comment.parentSourceId}, which was not imported`
            : `answers ${comment.parentSourceId}, which is under another thread`,
          true,
        );
        this.placed.set(comment.sourceId, null);
        return this.release(comment.sourceId);
      }
      parent = found;
    }
    const converted = pending.tombstone
      ? { markdown: '', html: '' }
      : (this.converted.get(comment) ?? convertBody(comment.body, MAX_IMPORTED_BODY));
    const { markdown } = converted;
    if (!pending.tombstone && !markdown) {
      this.skip('empty_body', comment.sourceId, 'no text once converted', true);
      this.placed.set(comment.sourceId, null);
      return this.release(comment.sourceId);
    }
    if (markdown.length > MAX_IMPORTED_BODY) {
      this.skip('invalid', comment.sourceId, `longer than ${MAX_IMPORTED_BODY} characters`, true);
      this.placed.set(comment.sourceId, null);
      return this.release(comment.sourceId);
    }
    const review =
      this.options.classifier && !pending.tombstone && comment.state === 'approved'
        ? await this.review(markdown)
        : null;
    this.place(comment, story, parent, converted, pending.tombstone, review);
    await this.release(comment.sourceId);
  }

  /** The classifier's scores, and whether they reach the site's hold threshold. */
  private async review(markdown: string) {
    const classifier = this.options.classifier as Classifier;
    const result = await classifier.classify(markdown);
    const threshold = this.options.site.moderation.classifier.hold;
    const over = HOLDING.filter((label) => result.scores[label] >= threshold);
    return {
      scores: Object.fromEntries(HOLDING.map((label) => [label, result.scores[label]])),
      model: result.model,
      over,
    };
  }

  private wait(comment: SourceComment) {
    const list = this.waiting.get(comment.parentSourceId as string);
    if (list) list.push(comment);
    else this.waiting.set(comment.parentSourceId as string, [comment]);
  }

  private async release(sourceId: string) {
    const replies = this.waiting.get(sourceId);
    if (!replies) return;
    this.waiting.delete(sourceId);
    for (const reply of replies) await this.handle({ comment: reply, tombstone: false });
  }

  private place(
    comment: SourceComment,
    story: StoryTarget,
    parent: ImportedPlacement | null,
    { markdown, html }: ConvertedBody,
    tombstone: boolean,
    review: { scores: Record<string, number>; model: string; over: string[] } | null,
  ) {
    const placement = parent
      ? placeReply(
          { id: parent.id, depth: parent.depth, threadParentId: parent.threadParentId },
          this.options.site.maxDepth,
        )
      : null;
    const status = tombstone
      ? 'approved'
      : comment.state === 'spam'
        ? 'rejected'
        : comment.state === 'pending'
          ? 'pending'
          : 'approved';
    const id = newId(comment.createdAt.getTime());
    const createdAt = comment.createdAt.toISOString();
    // Decided in the source by its moderators, except what waits for a decision there, or for a
    // second look here (--score).
    const toReview = review !== null && review.over.length > 0;
    const decided = status !== 'pending' && !toReview ? createdAt : null;
    this.batch.comments.push({
      id,
      site_id: this.key.siteId,
      story_id: story.id,
      parent_id: parent?.id ?? null,
      thread_parent_id: placement?.threadParentId ?? null,
      depth: placement?.depth ?? 0,
      author_id: this.authorOf(comment),
      body: markdown,
      html,
      status,
      reaction_count: tombstone ? 0 : Math.max(0, Math.floor(comment.likes)),
      // Its place in the Best order (docs/sorting.md): the source's likes, no views yet.
      best_key: bestKey({
        respects: tombstone ? 0 : Math.max(0, Math.floor(comment.likes)),
        views: 0,
        createdAt,
      }),
      created_at: createdAt,
      deleted_at: tombstone ? createdAt : null,
      moderation: JSON.stringify({
        decidedBy: `import:${this.options.format.name}`,
        reasons: toReview
          ? [{ code: 'IMPORT_REVIEW', message: `Imported; possibly ${review.over.join(', ')}.` }]
          : [],
        scores: review?.scores ?? {},
        tags: [
          'imported',
          ...(review ? [`model:${review.model}`] : []),
          ...(toReview ? ['review-imported'] : []),
        ],
      }),
      reviewed_at: decided,
      rejection_code: status === 'rejected' ? 'SPAM' : null,
      rejection_note: status === 'rejected' ? 'Imported as spam' : null,
      author_ip: comment.ip && isIP(comment.ip) ? comment.ip : null,
    });
    this.batch.sources.push({ kind: 'comment', sourceId: comment.sourceId, targetId: id });
    this.placed.set(comment.sourceId, {
      id,
      storyId: story.id,
      depth: placement?.depth ?? 0,
      threadParentId: placement?.threadParentId ?? null,
      status,
    });
    // Published comments and tombstones hold a place under their thread parent; only published
    // comments count for the story (as removeComment counts them).
    if (status === 'approved' && placement) {
      const counts = this.batch.replyCounts;
      counts.set(placement.threadParentId, (counts.get(placement.threadParentId) ?? 0) + 1);
    }
    if (status === 'approved' && !tombstone) {
      this.batch.storyCounts.set(story.id, (this.batch.storyCounts.get(story.id) ?? 0) + 1);
    }
    const tally = this.report.comments;
    tally.imported++;
    this.imported++;
    if (toReview) tally.toReview++;
    if (tombstone) tally.tombstones++;
    else if (status === 'approved') tally.approved++;
    else if (status === 'pending') tally.pending++;
    else tally.rejected++;
  }

  /** The end of the file: replies whose parent never came, deleted comments nobody answered. */
  private async finish() {
    for (const [parentId, replies] of this.waiting) {
      for (const reply of replies) {
        this.skip('orphan', reply.sourceId, `answers ${parentId}, which is not in the file`, true);
      }
    }
    this.waiting.clear();
    for (const comment of this.deleted.values()) {
      this.skip('deleted', comment.sourceId, 'deleted in the source, with no replies', true);
    }
    this.deleted.clear();
    await this.write();
  }

  private async write() {
    const batch = this.batch;
    this.resetBatch();
    if (this.options.dryRun) return;
    if (!batch.comments.length && !batch.sources.length && !batch.stories.length) return;
    const runId = this.report.runId;
    this.batchesWritten++;
    // After the 1st, 4th, 16th… batch: the tables' statistics follow their growth (PostgreSQL).
    const refresh = this.store.engine === 'postgres' && Math.log2(this.batchesWritten) % 2 === 0;
    await this.store.db.transaction().execute(async (trx) => {
      await writeImportBatch(trx, this.key, batch);
      if (runId) {
        await updateImportRun(trx, runId, {
          report: this.report,
          heartbeatAt: this.now().toISOString(),
        });
      }
    });
    if (refresh) await refreshImportStatistics(this.store.db);
  }
}

export function runImport(store: Store, options: ImportOptions): Promise<ImportReport> {
  return new Importer(store, options).run();
}
