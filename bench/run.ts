/**
 * `npm run bench`: the benchmarks, written to BENCHMARKS.md.
 *
 * - read: seeds a story with many comments, starts Parley and a bare node:http server (each in its
 *   own process), loads both from this process with autocannon;
 * - rendered: the server-rendered fragment of the same story's first page beside the raw ceiling
 *   sending the same bytes (bench/rendered.ts);
 * - write: comments per second through the full moderation pipeline over HTTP, beside the raw
 *   server answering the same POST (bench/write.ts);
 * - phases: each moderation phase's cost, in process (bench/phases.ts);
 * - classifier: inference per comment, and the Perspective-compatible endpoint over HTTP beside the
 *   raw server (bench/classifier.ts);
 * - live: fan-out of a new comment to many open event streams of one process (bench/live.ts);
 * - scale: read throughput with one, two and three processes on PostgreSQL + Redis (bench/scale.ts);
 * - soak: reads, posts, reactions, moderation decisions and live streams together at fixed rates
 *   for `--minutes`, with the server's memory over time and its slope (bench/soak.ts); run only
 *   when named (`--only soak`), on SQLite unless --engines says otherwise. Its plot is written to
 *   docs/bench/soak.svg (soak-postgres.svg for PostgreSQL).
 * - import: a generated Disqus export imported by `parley import` (comments/s, peak memory), the
 *   same file again, and `parley export` of the result (bench/import.ts).
 * - notify: the write path with notifications on and off, a burst of replies to readers waiting
 *   for mail, and the hourly digest, to a local SMTP peer (bench/notify.ts).
 * - hydration: the widget's time to interactive in Chromium with and without the server-rendered
 *   fragment in its container (bench/hydration.ts).
 *
 * Options: --comments N (10000)  --duration S (5)  --runs R (3)  --connections C (10)
 *          --engines sqlite,postgres (default: both when PostgreSQL answers; soak: sqlite)
 *          --only read,rendered,write,phases,classifier,live,scale,import,notify,hydration,soak
 *          (default: all but soak)
 *          --import-comments N (1000000)  --import-threads T (20000)
 *          --notify-readers N (10000)  --notify-burst B (1000)  --digest-readers D (100000)
 *          --writers W (10000)  --inputs I (3000)  --readers N (10000)  --live-comments K (15)
 *          --live-clients P (1)  --minutes M (30, the soak's length)
 *          --profile DIR (write a CPU profile of the write bench's Parley process to DIR)
 * A part left out keeps its section of BENCHMARKS.md as it was. Loads are bounded in time and
 * only target 127.0.0.1.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { buildServer } from '../scripts/build-server.ts';
import { testEngines, type EngineName } from '../test/helpers/engines.ts';
import { loadAll, log, stop, waitFor, type Figures } from './load.ts';
import {
  BODY_MIX,
  MAX_POSTS_PER_MINUTE,
  PREMODERATE_NEW_COMMENTERS,
} from './moderation-fixtures.ts';
import { benchPhases, type PhaseReport } from './phases.ts';
import { benchClassifier, type ClassifierResult } from './classifier.ts';
import { prepareBigStory, startParleyForLoad } from './parley.ts';
import { loginReader, seedReader } from './seed.ts';
import { seedSignedInReaders } from './signed-in.ts';
import { benchWrites, REPLY_SHARE, type WriteResult } from './write.ts';
import type { StatementRow } from './statement-times.ts';
import { benchLive, type LiveResult } from './live.ts';
import { benchScale, type ScaleResult } from './scale.ts';
import {
  benchSoak,
  CURSOR_SHARE,
  MAIN_STORY_SHARE,
  REJECT_SHARE,
  SAMPLE_SECONDS,
  SLOPE_LIMIT_MB,
  SOAK_RATES,
  SOAK_STORIES,
  SOAK_STREAMS,
  SOAK_WRITERS,
  STREAM_LIFETIME,
  UNREACT_SHARE,
  type Kind,
  type SoakResult,
} from './soak.ts';
import { soakSvg } from './soak-plot.ts';
import { benchImport, IMPORT_HEAP_MB, type ImportBenchResult } from './import.ts';
import { benchNotify, type NotifyBenchResult } from './notify.ts';
import { benchHydration, hydrationSection } from './hydration.ts';
import { benchRendered, renderedSection, type RenderedResult } from './rendered.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PARTS = [
  'read',
  'rendered',
  'write',
  'phases',
  'classifier',
  'live',
  'scale',
  'import',
  'notify',
  'hydration',
  'soak',
] as const;
/** Parts run when --only is absent: all but the soak, which takes half an hour. */
const DEFAULT_PARTS = PARTS.filter((part) => part !== 'soak');
type Part = (typeof PARTS)[number];
const { values } = parseArgs({
  options: {
    comments: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    engines: { type: 'string' },
    only: { type: 'string' },
    writers: { type: 'string', default: '10000' },
    inputs: { type: 'string', default: '3000' },
    profile: { type: 'string' },
    readers: { type: 'string', default: '10000' },
    'signed-in': { type: 'string', default: '20000' },
    'signed-in-marked': { type: 'string', default: '5000' },
    'live-comments': { type: 'string', default: '15' },
    'live-clients': { type: 'string', default: '1' },
    minutes: { type: 'string', default: '30' },
    'import-comments': { type: 'string', default: '1000000' },
    'import-threads': { type: 'string', default: '20000' },
    'notify-readers': { type: 'string', default: '10000' },
    'notify-burst': { type: 'string', default: '1000' },
    'digest-readers': { type: 'string', default: '100000' },
  },
});
const MINUTES = Number(values.minutes);
const READERS = Number(values.readers);
const LIVE_COMMENTS = Number(values['live-comments']);
const LIVE_CLIENTS = Number(values['live-clients']);
/** The second live run's server heap limit (--max-old-space-size), MB. */
const LIVE_HEAP_MB = 256;
/** `--comments 100,100000` measures reads at each size; other parts use the last. */
const SIZES = (values.comments as string).split(',').map(Number);
const COMMENTS = SIZES.at(-1) as number;
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const RUNS = Number(values.runs);
const WRITERS = Number(values.writers);
const INPUTS = Number(values.inputs);
const ONLY = (values.only?.split(',') ?? [...DEFAULT_PARTS]) as Part[];
for (const part of ONLY) {
  if (!PARTS.includes(part)) throw new Error(`--only takes ${PARTS.join(', ')}; got "${part}"`);
}
const LOAD = { connections: CONNECTIONS, duration: DURATION, runs: RUNS };
const PARLEY_PORT = 18_080;
/**
 * Distinct signed-in readers read in turn by two of the read rows: with nothing on the story, and
 * with marks on its first page (every one of them a participant of that page, which is what its
 * marks cost: see the read section). Enough that none comes back within the 2 s page TTL.
 */
const SIGNED_IN_READERS = Number(values['signed-in']);
const MARKED_READERS = Number(values['signed-in-marked']);
const RAW_PORT = 18_081;

async function benchEngine(engine: EngineName, size: number): Promise<Figures[]> {
  const { database, store, site, storyId } = await prepareBigStory(
    engine,
    size,
    PARLEY_PORT,
    engine,
  );
  const readerEmail = `bench.${Date.now()}@example.com`;
  await seedReader(store.db, readerEmail, 'Bench reader');
  log(
    `[${engine}]   seeding ${SIGNED_IN_READERS} signed-in readers with marks and as many without`,
  );
  const signedIn = await seedSignedInReaders(store.db, site, storyId, SIGNED_IN_READERS);
  const plainReaders = await seedSignedInReaders(store.db, site, storyId, SIGNED_IN_READERS, {
    marks: false,
  });
  await store.close();

  const parley = startParleyForLoad(database, PARLEY_PORT);
  const raw: ChildProcess[] = [];
  try {
    const base = `http://127.0.0.1:${PARLEY_PORT}`;
    await waitFor(`${base}/healthz`);
    const firstUrl = `${base}/api/v1/stories/${storyId}/comments`;
    const first = await (await fetch(firstUrl)).text();
    const firstPage = JSON.parse(first) as {
      nextCursor: string;
      comments: { id: string; replyCount: number }[];
    };
    // Page 21, or the last page of a smaller story.
    let later = firstPage;
    let laterCursor = '';
    let pageNumber = 1;
    while (later.nextCursor && pageNumber < 21) {
      laterCursor = later.nextCursor;
      later = (await (await fetch(`${firstUrl}?cursor=${laterCursor}`)).json()) as typeof firstPage;
      pageNumber++;
    }
    const byReplies = (await (
      await fetch(`${firstUrl}?sort=replies&limit=1`)
    ).json()) as typeof firstPage;
    const busiest = byReplies.comments[0] as { id: string; replyCount: number };
    // The longest thread's replies: the first page, and the last (up to page 21) by cursor.
    const repliesUrl = `${base}/api/v1/comments/${busiest.id}/replies`;
    let replyPage = (await (await fetch(repliesUrl)).json()) as { nextCursor: string | null };
    let replyCursor = '';
    let replyPageNumber = 1;
    while (replyPage.nextCursor && replyPageNumber < 21) {
      replyCursor = replyPage.nextCursor;
      replyPage = (await (await fetch(`${repliesUrl}?cursor=${replyCursor}`)).json()) as {
        nextCursor: string | null;
      };
      replyPageNumber++;
    }
    const token = await loginReader(base, readerEmail);
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const [markedToken] = signedIn.tokens as [string];
    /** Each request of the row from the next reader of `tokens`, in turn. */
    const inTurn = (tokens: string[]): Partial<autocannon.Options> => {
      let next = 0;
      return {
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              headers: { ...request.headers, ...bearer(tokens[next++ % tokens.length] as string) },
            }),
          },
        ],
      };
    };
    const bodyFile = path.join(os.tmpdir(), `parley-bench-body-${process.pid}.json`);
    fs.writeFileSync(bodyFile, first);
    const rawServer = fork(path.join(ROOT, 'bench/raw-server.ts'), [String(RAW_PORT), bodyFile], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    raw.push(rawServer);
    await new Promise((resolve) => rawServer.once('message', resolve));

    return await loadAll(
      [
        {
          name: `raw node:http (same ${Buffer.byteLength(first)} B body)`,
          url: `http://127.0.0.1:${RAW_PORT}/`,
        },
        { name: 'first page (20 comments + first replies)', url: firstUrl },
        {
          name: 'first page, signed-in reader with nothing on it',
          url: firstUrl,
          headers: bearer(token),
        },
        {
          name: 'first page, signed-in reader with marks on it (own comment, 2 reactions, a report, 1 held)',
          url: firstUrl,
          headers: bearer(markedToken),
        },
        {
          name: `first page, ${SIGNED_IN_READERS.toLocaleString('en')} distinct signed-in readers in turn, nothing on it (each one's first read)`,
          url: firstUrl,
          options: inTurn(plainReaders.tokens),
        },
        {
          name: `first page, ${MARKED_READERS.toLocaleString('en')} distinct signed-in readers in turn, each with marks on it (2 reactions, a report, 1 held; each one's first read)`,
          url: firstUrl,
          options: inTurn(signedIn.tokens),
        },
        {
          name: `page ${pageNumber} (cursor)`,
          url: laterCursor ? `${firstUrl}?cursor=${laterCursor}` : firstUrl,
        },
        {
          name: `replies of a comment with ${busiest.replyCount} replies, first page`,
          url: repliesUrl,
        },
        {
          name: `replies, page ${replyPageNumber} (cursor)`,
          url: replyCursor ? `${repliesUrl}?cursor=${replyCursor}` : repliesUrl,
        },
      ],
      LOAD,
    );
  } finally {
    await Promise.all([stop(parley), ...raw.map(stop)]);
    await database.drop();
  }
}

function table(engine: string, rows: Figures[]): string {
  const ceiling = rows[0]?.rps ?? 1;
  const lines = [
    `### ${engine}`,
    '',
    '| endpoint | req/s (median) | vs raw | p50 ms | p90 ms | p99 ms | errors | req/s of each run |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.rps.toFixed(0)} | ${((100 * r.rps) / ceiling).toFixed(0)}% | ${r.p50} | ${r.p90} | ${r.p99} | ${r.errors} | ${r.spread} |`,
    ),
  ];
  return lines.join('\n');
}

const command = [
  'npm run bench --',
  `--comments ${SIZES.join(',')} --duration ${DURATION} --connections ${CONNECTIONS} --runs ${RUNS}`,
  ...(values.engines ? [`--engines ${values.engines}`] : []),
  ...(values.only ? [`--only ${values.only}`] : []),
  ...(WRITERS !== 10_000 ? [`--writers ${WRITERS}`] : []),
  ...(INPUTS !== 3000 ? [`--inputs ${INPUTS}`] : []),
  ...(READERS !== 10_000 ? [`--readers ${READERS}`] : []),
  ...(SIGNED_IN_READERS !== 20_000 ? [`--signed-in ${SIGNED_IN_READERS}`] : []),
  ...(MARKED_READERS !== 5000 ? [`--signed-in-marked ${MARKED_READERS}`] : []),
  ...(LIVE_COMMENTS !== 15 ? [`--live-comments ${LIVE_COMMENTS}`] : []),
  ...(LIVE_CLIENTS !== 1 ? [`--live-clients ${LIVE_CLIENTS}`] : []),
  ...(ONLY.includes('soak') ? [`--minutes ${MINUTES}`] : []),
  ...(values['import-comments'] !== '1000000'
    ? [`--import-comments ${values['import-comments']}`]
    : []),
  ...(values['import-threads'] !== '20000' ? [`--import-threads ${values['import-threads']}`] : []),
  ...(ONLY.includes('notify')
    ? [
        `--notify-readers ${values['notify-readers']} --notify-burst ${values['notify-burst']}`,
        `--digest-readers ${values['digest-readers']}`,
      ]
    : []),
].join(' ');
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const measured = `Measured by \`${command}\` on
${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`;
const pct = (share: number) => `${Math.round(share * 100)}%`;

function readSection(tables: string[]): string {
  return `## Reads: thread pages

${measured}

Each run seeds one story with ${SIZES.join(' (then ')}${SIZES.length > 1 ? ')' : ''} comments (70% top level, 30% replies, a tenth
of them answering the first comment, so one thread is long), starts Parley
(\`parley start\`, production settings, rate limiter on with a high read limit, logs at warn) and a
bare \`node:http\` server that answers every request with the same bytes as Parley's first page;
each runs in its own process. Anonymous readers' thread pages and reply pages are served from
Parley's in-memory page cache (invalidated by every write to the story). A signed-in reader's page is
cut from the same cached bytes (\`src/server/viewer-page.ts\`). Who has anything on a page (the
reactions and reports on its comments and, on a first page, the authors of the story's comments
awaiting review and the marks on those) is read once per page, in one statement, for all its
readers (\`src/store/viewer-stories.ts\`), and kept with the page. A reader found nowhere in it gets
the anonymous bytes as they are, with no query beyond their session; one with marks gets them with
only the entries holding their comments or marks, and the tail with their comments awaiting review
(one query, when they have any), presented and serialised for them; their answer is then kept for
them while the story and the page stay as they were (at most the page cache's TTL, 2 s). So the rows
of one signed-in reader measure the session lookup (cached for 2 s) and the kept answer, and the
rows of ${SIGNED_IN_READERS.toLocaleString('en')} (nothing on the story) and ${MARKED_READERS.toLocaleString('en')} (marks on the first page) distinct readers, taken in turn so that
none comes back within the 2 s TTL at these rates, measure a reader's first read: their session read
from the database, and for the readers with marks their comments awaiting review. Each of the
${MARKED_READERS.toLocaleString('en')} has two reactions, a report and a comment awaiting review on the first page, which makes
about ${(MARKED_READERS * 4).toLocaleString('en')} rows of marks for the page, read again whenever the page is; the "with marks" reader also has their own comment at
its top. autocannon loads each from the bench process with ${CONNECTIONS}
connections for ${DURATION} s, in ${RUNS} rounds that take the targets in turn (after a 2 s warm-up
of each); the table gives the median of the runs. This machine is a shared VM and single runs vary
by a third, which is why the rounds interleave the targets. "vs raw" is the share of the raw server's
throughput measured in the same run. The machine has ${os.cpus().length} cores shared by the load
generator and the server under test, so absolute figures are lower than on a dedicated host; the
ratio is the figure to compare.

The signed-in target (issue 17: 40% of the raw server or more, p99 under 20 ms) is judged under
each table, row by row. What each signed-in row costs Parley per request: a reader whose answer is
kept (the rows of one reader), a map look-up and the kept bytes; a first read of a reader with
nothing on the story, their session read from the database (one indexed query, a round trip on
PostgreSQL; it was two before the page's marks were read once for all its readers, three when
their list of stories had expired) and the anonymous bytes sent privately; a first read of a
reader with marks, their session, their comments awaiting review (one query; five before), and
their entries and tail presented, serialised and spliced into the page for them alone. On top of
that, the page's marks are read again each time the page is, every 2 s, for all readers at once:
here about ${(MARKED_READERS * 4).toLocaleString('en')} rows, because every one of the ${MARKED_READERS.toLocaleString('en')} readers has marks on this one page,
far more than a newsroom's story gathers; readers wait for that read. Where a row misses, its line
says so; the section below the tables says what it would take.

${tables.join('\n\n')}

What the first-read rows would take to reach the target. With nothing on the story, all that is
left is the session: a token never seen by this process is read from the database (\`src/server/auth.ts\`),
which on PostgreSQL is a round trip for every new reader; folding that read into fewer, or serving a
session from a signed token without a read, is the next step. With marks, the queries are down to
two, yet the row barely moved, so the time is not in round trips: it is in making each reader's
answer (presenting and serialising their entries, splicing and hashing the page) and in waiting for
the page's ${(MARKED_READERS * 4).toLocaleString('en')} rows of marks read again every 2 s. That has not been profiled yet; keeping a
story's participants in a table written in the same transactions as reactions, reports and
comments (so the page's marks are not read again with every page) is the first candidate.`;
}

/** The signed-in target (issue 17): 40% of the raw server or more, with p99 under 20 ms. */
function signedInVerdict(rows: Figures[]): string {
  const ceiling = rows[0]?.rps ?? 1;
  return rows
    .filter((r) => r.name.includes('signed-in'))
    .map((r) => {
      const share = Math.round((100 * r.rps) / ceiling);
      const meets = share >= 40 && r.p99 < 20;
      return `- ${r.name}: ${share}% of raw, p99 ${r.p99} ms: ${meets ? 'meets' : 'misses'} the target (40% or more, p99 under 20 ms).`;
    })
    .join('\n');
}

function writeTable(engine: string, result: WriteResult): string {
  const post = result.rows[1];
  const spread = result.rows[2];
  // PostgreSQL's target is for one hot story (issue 13); SQLite's is the first write target.
  const target = engine === 'postgres' ? { rps: 1000, p99: 50 } : { rps: 2000, p99: 25 };
  const verdict = `${post && post.rps >= target.rps && post.p99 < target.p99 ? 'meets' : 'misses'} the target (${target.rps.toLocaleString('en')} comments/s or more to one story, p99 under ${target.p99} ms)`;
  const hot =
    post && spread
      ? ` Posts to one story ran at ${Math.round((100 * post.rps) / spread.rps)}% of the rate of top-level posts spread over many stories.`
      : '';
  const stored = Object.values(result.outcomes).reduce((sum, n) => sum + n, 0);
  const statuses = (r: Figures) =>
    Object.entries(r.statuses)
      .map(([code, n]) => `${code}: ${n}`)
      .join(', ');
  return [
    table(engine, result.rows).replace('| errors |', '| non-2xx + errors |'),
    '',
    `Status codes over the measured runs: ${result.rows.map((r) => `${r.name.split(' (')[0]}: ${statuses(r)}`).join('; ')}.`,
    `On ${engine}, the write path ${verdict}.${hot}`,
    '',
    `What the pipeline decided for the ${stored} comments stored during the run (warm-up included), by the phase that decided:`,
    '',
    '| outcome (deciding phase) | comments | share |',
    '|---|---:|---:|',
    ...Object.entries(result.outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `| ${key} | ${n} | ${((100 * n) / stored).toFixed(1)}% |`),
    ...(result.statements && post ? statementLines(result.statements, post.rps) : []),
  ].join('\n');
}

/** Where a post's database time went, statement by statement (SQLite; bench/statement-times.ts). */
function statementLines(rows: StatementRow[], rps: number): string[] {
  const total = rows.reduce((sum, r) => sum + r.usPerPost, 0);
  const shown = rows.filter((r) => r.usPerPost >= 1);
  const perPostUs = 1e6 / rps;
  return [
    '',
    `Where a post's database time went: every SQLite statement the server ran (better-sqlite3 runs them on the server's one thread, so this time is the thread's), timed call by call (two clock readings each, during the measured runs too) and divided by the comments stored. They took ${total.toFixed(0)} µs a post, ${((100 * total) / perPostUs).toFixed(0)}% of the ${perPostUs.toFixed(0)} µs a post took of the server at the median rate; the rest is HTTP, validation, the moderation pipeline, rendering and building the queries.`,
    '',
    '| statement (verb, table, columns it looks up by) | calls per post | µs per call | µs per post |',
    '|---|---:|---:|---:|',
    ...shown.map(
      (r) =>
        `| ${r.statement} | ${r.callsPerPost.toFixed(2)} | ${r.usPerCall.toFixed(1)} | ${r.usPerPost.toFixed(1)} |`,
    ),
  ];
}

function writeSection(tables: string[]): string {
  return `## Writes: comments through the full moderation pipeline

${measured}

Each engine gets a fresh database with one site whose moderation has every phase on: a word list
of 2,000 made-up terms (half banned, half suspect; Latin, Cyrillic, Greek, Arabic, Hebrew and
Chinese; a tenth of them phrases and a tenth prefix terms ending in \`*\`), links held unless they
go to one of three allowed domains and rejected for three denied ones, new commenters held until
they have ${PREMODERATE_NEW_COMMENTERS} approved comments, at most ${MAX_POSTS_PER_MINUTE} posts a minute per author, and the classifier phase
with the shipped model (the site's thresholds: \`bench/moderation-fixtures.ts\`). The external phase is
wired, as in \`parley start\`, and off for the site. ${WRITERS} commenters are seeded with a session each and
${PREMODERATE_NEW_COMMENTERS} approved comments (so they pass pre-moderation, after the query that counts them). Parley
runs as \`parley start\` does (\`bench/parley-server.ts\`), in its own process, with \`PARLEY_WRITE_RATE_LIMIT\` raised so that the per-account and per-address write
limits (still on) let one address post as thousands of accounts; on SQLite with WAL and
\`synchronous=FULL\`, so every acknowledged comment is on disk.

autocannon posts \`POST /api/v1/stories/:id/comments\` from the bench process with ${CONNECTIONS}
connections for ${DURATION} s, in ${RUNS} rounds interleaved with the raw server (after a 2 s warm-up of
each); each request is the next commenter's bearer token in turn (so each posts well under the
per-author rate) and a distinct body (the repeat-post phase refuses repeats): 1–3 sentences in eight
languages and a serial number; ${pct(BODY_MIX.suspectTerm)} carry a suspect term and ${pct(BODY_MIX.bannedTerm)} a banned one, most of
them disguised (capitals, leetspeak, spaced or stretched letters, zero-width characters), ${pct(BODY_MIX.link)} a link
(allowed, unknown or denied), ${pct(BODY_MIX.toxic + BODY_MIX.spam)} a sentence the classifier scores high, and ${pct(REPLY_SHARE)} are replies to an
approved comment. Every post says \`postAnyway\` (a reader's second attempt after the nudge), so a
draft the classifier scores high is stored held rather than sent back with 422; held and rejected
comments are stored (201) like approved ones. Commits on SQLite are grouped: posts that arrive
together share one transaction and one fsync, each answered after it. On PostgreSQL a post is one
statement (the comment, its audit entry, the counts and its numbered live events), committed by the
server as it ends, so the story's count and live-sequence rows, which every post to the story takes,
stay locked for that statement only. A third row posts the same bodies as top-level comments spread
over 100 stories of the site, which shows what those shared rows cost. The raw server
reads the same kind of POST and answers with the bytes of Parley's 201 answer. \`--profile DIR\` writes a
CPU profile of the Parley process under this load (\`node --cpu-prof\`) to DIR.

${tables.join('\n\n')}`;
}

function phasesSection(report: PhaseReport): string {
  const decisions = Object.entries(report.decisions)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
  return `## Moderation pipeline, per phase

${measured}

In process (\`bench/phases.ts\`): the phases of \`src/domain/moderation/phases/index.ts\`, wired as
in the write bench (the same settings, word list of ${report.terms} terms, shipped classifier, external
phase present and off), each run over ${report.inputs} varied inputs (the write bench's body generator:
eight languages, disguised terms, links; authors and histories drawn at random) ${report.passes} times after
a warm-up pass; then the whole pipeline, which stops at the first deciding phase. Times are per
comment, in microseconds. Each phase sees every input, whatever an earlier phase would have
decided; "flagged" counts the inputs it returned a result for. The pipeline's input also needs the
comment's HTML (links are read from it), rendered once before the pipeline runs; its cost is
the last row. Compiling the 2,000-term list took ${report.compileMs.toFixed(1)} ms (once per settings change).

| phase | p50 µs | p99 µs | mean µs | flagged |
|---|---:|---:|---:|---:|
${report.rows.map((r) => `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.mean.toFixed(1)} | ${r.hits} |`).join('\n')}

The pipeline's outcomes on these inputs: ${decisions}.`;
}

function classifierSection(result: ClassifierResult): string {
  return `## Classifier: inference and the Perspective-compatible endpoint

${measured}

The shipped model (\`${result.model}\`, ${(result.bytes / 2 ** 20).toFixed(1)} MB, loaded in ${result.loadMs} ms) scores ${result.comments}
comments of exactly 300 characters (the write bench's generator: eight languages, disguised terms,
links) in process, after a warm-up of 500: **median ${(result.p50Ms * 1000).toFixed(0)} µs, p99 ${(result.p99Ms * 1000).toFixed(0)} µs per comment**
(targets: median under 1 ms, p99 under 5 ms, loaded in under 200 ms, at most 20 MB).

Over HTTP, \`parley start\` on SQLite (its own process) answers
\`POST /v1alpha1/comments:analyze?key=…\` for those comments in turn (all seven attributes, \`doNotStore\`),
beside a bare \`node:http\` server that reads the same POST and answers with the bytes of Parley's
answer; autocannon from the bench process, ${CONNECTIONS} connections, ${DURATION} s, ${RUNS} interleaved rounds (medians).

${table('analysis', result.rows)}`;
}

function liveSection(results: LiveResult[]): string {
  const [r] = results as [LiveResult];
  const capped = results.find((x) => x.heapLimitMb !== undefined);
  const heap = (x: LiveResult) =>
    x.heapLimitMb === undefined
      ? "Node's default heap"
      : `\`--max-old-space-size=${x.heapLimitMb}\``;
  const row = (label: string, value: (x: LiveResult) => string | number, target = '') =>
    `| ${label} | ${results.map(value).join(' | ')} | ${target} |`;
  const verdicts = (test: (x: LiveResult) => boolean) =>
    results.map((x) => `${heap(x)}: ${test(x) ? 'meets' : 'misses'}`).join('; ');
  const perStream = (x: LiveResult) =>
    (((x.rssConnected - x.rssIdle) * 1024) / Math.max(1, x.connected)).toFixed(1);
  const heapPerStream = (x: LiveResult) =>
    (((x.heapConnected - x.heapIdle) * 1024) / Math.max(1, x.connected)).toFixed(1);
  const failures = results
    .filter((x) => x.failed)
    .map((x) => `${heap(x)}: ${x.failed} failed (${x.connectErrors.join(', ')})`);
  return `## Live fan-out: one process, many open event streams

${measured}

\`bench/live.ts\`: one Parley process (\`parley start\` from the server bundle, SQLite, production
settings and the shipped classifier, logs at warn) with the per-address stream limits raised for the bench
(\`PARLEY_MAX_SSE\`, \`PARLEY_MAX_SSE_PER_IP\`, \`PARLEY_SSE_CONNECT_RATE_LIMIT\`: every reader comes
from 127.0.0.1). ${r.readers} anonymous readers open \`GET /api/v1/stories/:id/events\` from ${r.clients === 1 ? 'a separate client process' : `${r.clients} separate client processes`}
(a raw \`http.request\` per stream, its body split into events by hand, 100 connecting at a time).
Then the bench process posts one comment a second, ${r.comments} in all, through
\`POST /api/v1/stories/:id/comments\` (the full moderation pipeline; each is published, and each
also sends a \`count\` event). For every comment and every reader, the latency is the time from the
moment the bench process had the POST's answer to the moment that reader's client read the
comment's \`comment.created\` event (both processes read the same clock,
\`performance.timeOrigin + performance.now()\`; a receipt before the answer counts as 0 ms). The
server's file-descriptor limit was ${r.fdLimit.soft} (hard ${r.fdLimit.hard}; the bench raises the soft limit of its
children up to the hard one when needed); it held ${r.fdLimit.used} descriptors with the readers.
${failures.length ? `\nConnection failures: ${failures.join('; ')}.\n` : ''}
The whole run is done twice: with Node's default heap limit, and with the server started with
\`NODE_OPTIONS=--max-old-space-size=${results[1]?.heapLimitMb ?? '…'}\` (see below).

| | ${results.map(heap).join(' | ')} | target |
|---|${results.map(() => '---:|').join('')}---|
${[
  row(
    'readers connected (seconds to connect)',
    (x) => `${x.connected} of ${x.readers} (${x.connectSeconds.toFixed(1)} s)`,
  ),
  row('latency p50 (readers × comments)', (x) => `${x.p50} ms`),
  row('latency p90', (x) => `${x.p90} ms`),
  row('latency p99', (x) => `**${x.p99} ms**`, `under 250 ms: ${verdicts((x) => x.p99 < 250)}`),
  row('latency max', (x) => `${x.max} ms`),
  row(
    `time until the last reader had a comment: median / worst of the ${r.comments}`,
    (x) => `${x.lastReaderMedian} / ${x.lastReaderMax} ms`,
  ),
  row('receipts before the POST was answered', (x) => x.beforeAck),
  row(
    'events missing / duplicated / streams dropped',
    (x) => `${x.missing} / ${x.duplicates} / ${x.dropped}`,
    '0 / 0 / 0',
  ),
  row("the POST's own latency: median / worst", (x) => `${x.postP50} / ${x.postMax} ms`),
  row('server RSS: started, one comment posted', (x) => `${x.rssIdle.toFixed(0)} MB`),
  row('server RSS: with the readers connected', (x) => `${x.rssConnected.toFixed(0)} MB`),
  row(
    'server RSS: highest while posting',
    (x) => `**${x.rssPeak.toFixed(0)} MB**`,
    `under 300 MB: ${verdicts((x) => x.rssPeak < 300)}`,
  ),
  row(
    'server JS heap in use: started / with the readers / after posting',
    (x) => `${x.heapIdle.toFixed(0)} / ${x.heapConnected.toFixed(0)} / ${x.heapEnd.toFixed(0)} MB`,
  ),
  row('memory per open stream: RSS / JS heap', (x) => `${perStream(x)} / ${heapPerStream(x)} KB`),
  row('server CPU while posting (share of one core)', (x) => `${Math.round(x.cpuShare * 100)}%`),
  row(
    `machine CPU while posting (every process, of ${os.cpus().length * 100}%)`,
    (x) => `${Math.round(x.machineShare * 100)}%`,
  ),
].join('\n')}

Each open stream costs the server about ${perStream(r)} KB of resident memory (${heapPerStream(r)} KB of JS heap: the
socket, Node's request and response, Fastify's request and reply, the hub's record), so one process
holds ${r.readers} streams in about ${Math.round(r.rssConnected - r.rssIdle)} MB over its idle size. Sending an event to every stream
makes short-lived garbage (Node's HTTP response writes, two per comment: the comment and the
count; each event's bytes are encoded once and shared by every stream). With Node's default heap limit (sized from the machine's ${Math.round(os.totalmem() / 2 ** 30)} GiB) V8 may let that garbage
pile up before collecting it: the peak RSS of the first column is ${Math.round(r.rssPeak - r.rssConnected)} MB above its size with the readers${capped ? `, against ${Math.round(capped.rssPeak - capped.rssConnected)} MB with the heap limit` : ''}.${capped && capped.heapEnd <= capped.heapConnected * 1.25 ? ` With the limit, the heap in use after posting (${capped.heapEnd.toFixed(0)} MB) stays near its size with the readers (${capped.heapConnected.toFixed(0)} MB): the growth is garbage, not a leak.` : ''}
The last row is the whole machine's CPU, every process included (this VM is shared with other
work): latencies grow when other work takes the cores. The client processes and the server share the
machine's ${os.cpus().length} cores, so the receiving side's work (reading ${r.connected} sockets per event) is inside these latencies.`;
}

function scaleSection(result: ScaleResult | string): string {
  const head = `## Scale-out: one, two and three processes on PostgreSQL + Redis

${measured}
`;
  if (typeof result === 'string') return `${head}\nNot measured: ${result}.`;
  const cores = os.cpus().length;
  const share = (r: Figures, key: string) => `${Math.round((r.cpu?.[key] ?? 0) * 100)}%`;
  const ceiling = result.rows[0]?.rps ?? 1;
  const byName = (text: string) => result.rows.find((r) => r.name.startsWith(text));
  const one = byName('first page, 1');
  const three = byName('first page, 3');
  return `${head}
\`bench/scale.ts\`: one PostgreSQL database with a story of ${result.comments} comments (the read bench's seed),
one Redis, and three Parley processes (\`parley start\`, \`DATABASE_URL\` on PostgreSQL, \`REDIS_URL\`
set, a high read limit, logs at warn), each on its own port, all running throughout; a bare
\`node:http\` server answers with the same bytes as the first page. The load generator (this
process) plays a round-robin balancer: for "N processes" it runs one autocannon per process at the
same time, ${result.connections} connections in all split evenly between them, and sums their requests per second;
latencies are the worst of the N. ${LOAD.duration} s per run, ${LOAD.runs} rounds taking the rows in turn after a 2 s
warm-up (medians). CPU columns: the CPU time each side used during the measured runs, as a share of
one core (the machine has ${cores}). Anonymous first pages come from each process's page cache; a
signed-in reader's page adds the session lookup and three indexed queries on PostgreSQL per request.
At the end, the Parley processes held ${result.pgConnections} PostgreSQL connections (a pool of at most 10 each).

| target | req/s (median) | vs raw | p50 ms | p99 ms | errors | load generator CPU | Parley CPU (all) | PostgreSQL CPU | machine CPU (all processes) | req/s of each run |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
${result.rows
  .map(
    (r, i) =>
      `| ${r.name} | ${r.rps.toFixed(0)} | ${((100 * r.rps) / ceiling).toFixed(0)}% | ${r.p50} | ${r.p99} | ${r.errors} | ${share(r, 'load generator')} | ${i === 0 ? `${share(r, 'raw server')} (raw)` : share(r, 'Parley')} | ${share(r, 'PostgreSQL')} | ${share(r, 'machine')} | ${r.spread} |`,
  )
  .join('\n')}

**What ${cores} cores limit.** Every process here (the load generator, each Parley, PostgreSQL, Redis,
and whatever else runs on this shared machine: the last CPU column counts all of it, out of the
${cores * 100}% that ${cores} cores offer) shares the same ${cores} cores, so a second or third Parley process cannot add
a core, only divide the same ones: with one process the load generator took ${one ? share(one, 'load generator') : '?'} of a core and
Parley ${one ? share(one, 'Parley') : '?'}; with three, ${three ? share(three, 'load generator') : '?'} and ${three ? share(three, 'Parley') : '?'} (all three together), for ${one?.rps.toFixed(0) ?? '?'} and
${three?.rps.toFixed(0) ?? '?'} req/s.${one && (one.cpu?.['load generator'] ?? 0) >= 0.8 ? ' The load generator is one thread, and at close to a full core in the anonymous rows it is as much their limit as Parley is.' : ''} The signed-in rows are bound by PostgreSQL, on the same cores too. What these
rows do show is that several processes on one database and one Redis serve the same pages
correctly and without errors, with no sticky sessions and no coordination on the read path (each
process has its own page cache and its own pool of at most 10 database connections); not how
throughput grows with cores. On hosts with a core or more per process, and the load generated
elsewhere, each process adds about the one-process figure until PostgreSQL (signed-in readers) or
the network becomes the limit.`;
}

/** Where an engine's soak plot goes, from the repository's root. */
const soakPlot = (engine: EngineName) =>
  `docs/bench/${engine === 'sqlite' ? 'soak' : `soak-${engine}`}.svg`;

const SOAK_KIND_NAMES: Record<Kind, string> = {
  read: 'thread page, anonymous (GET, first page or by cursor)',
  post: 'comment posted (full moderation pipeline)',
  reaction: 'reaction given or taken back (PUT / DELETE)',
  moderation: 'moderation decision (approve / reject)',
  queue: 'moderation queue read (pending, 100 a page)',
  live: 'live stream opened (latency: until its `ready` event)',
};

function soakTable(result: SoakResult): string {
  const n = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
  const ms = (v: number) => (Number.isFinite(v) ? String(Math.round(v)) : '–');
  const slope = result.slopeMbPer10Min;
  const floor = result.heapFloorSlopeMbPer10Min;
  const verdict =
    slope === null
      ? 'not enough samples after the warm-up to fit a line'
      : `${slope < SLOPE_LIMIT_MB ? 'meets' : 'misses'} the target (under ${SLOPE_LIMIT_MB} MB per 10 minutes)`;
  const first = result.samples[0];
  const last = result.samples.at(-1);
  const heaps = result.samples.map((x) => x.heapMb).filter(Number.isFinite);
  const stored = Object.values(result.outcomes).reduce((sum, v) => sum + v, 0);
  const reasons = (list: [string, number][]) =>
    list.length ? list.map(([reason, count]) => `${reason} ×${count}`).join('; ') : 'none';
  const short = result.minutes < 15;
  const percent = (share: number) => (Number.isFinite(share) ? `${Math.round(share * 100)}%` : '–');
  return [
    `### ${result.engine}`,
    '',
    `![Soak on ${result.engine}: resident memory over the run, and throughput per minute](${soakPlot(result.engine)})`,
    '',
    `**Resident memory after the warm-up: ${slope === null ? 'no fit' : `${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB per 10 minutes`}**` +
      ` (least squares over the ${result.fit?.points ?? 0} samples from ${(result.warmupSeconds / 60).toFixed(result.warmupSeconds % 60 ? 1 : 0)} min to the end): ${verdict}.` +
      ` RSS went from ${n(first?.rssMb ?? NaN, 0)} MB at the start of the load to ${n(last?.rssMb ?? NaN, 0)} MB at the end (highest ${n(Math.max(...result.samples.map((x) => x.rssMb)), 0)} MB);` +
      ` the JS heap in use stayed between ${n(Math.min(...heaps), 0)} and ${n(Math.max(...heaps), 0)} MB, and its floor (each minute's lowest reading, close to its size after a collection) ` +
      (floor === null
        ? 'had too few minutes after the warm-up for a line.'
        : `moved ${floor >= 0 ? '+' : ''}${floor.toFixed(2)} MB per 10 minutes after the warm-up (resident memory that grows over a flat floor is garbage not yet collected, or memory V8 keeps, rather than live data).`) +
      ` The server ran with ${result.nodeOptions ? `\`NODE_OPTIONS=${result.nodeOptions}\`` : `Node's default heap limit (sized from the machine's ${Math.round(os.totalmem() / 2 ** 30)} GiB; \`NODE_OPTIONS=--max-old-space-size=…\` in the bench's environment caps it)`}.` +
      (short
        ? ` This run lasted ${result.minutes} minute${result.minutes === 1 ? '' : 's'}: a fit over so short a span mostly measures the end of the warm-up and the collector's rhythm, not a leak; a 30-minute run is the one to judge.`
        : ''),
    '',
    '| minute | reads/s | posts/s | reactions/s | moderation/s | live streams open | events received | errors | p99 ms (read / post / reaction / moderation) | RSS MB | JS heap MB | Parley CPU | machine CPU |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|',
    ...result.rows.map(
      (r) =>
        `| ${r.minute}${r.seconds < 60 ? ` (${r.seconds} s)` : ''} | ${n(r.perSecond.read)} | ${n(r.perSecond.post)} | ${n(r.perSecond.reaction)} | ${n(r.perSecond.moderation)} | ${r.streamsOpen} | ${r.events} | ${r.errors} | ${ms(r.p99.read)} / ${ms(r.p99.post)} / ${ms(r.p99.reaction)} / ${ms(r.p99.moderation)} | ${n(r.rssMb, 0)} | ${n(r.heapMb, 0)} | ${percent(r.cpuShare)} | ${percent(r.machineShare)} |`,
    ),
    '',
    'Over the whole run:',
    '',
    '| requests | target/s | answered (2xx) | per second | errors | expected refusals | p50 ms | p99 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...result.kinds.map(
      (k) =>
        `| ${SOAK_KIND_NAMES[k.kind]} | ${k.target ?? '–'} | ${k.ok} | ${n(k.perSecond, 2)} | ${k.errors} | ${k.expected} | ${ms(k.p50)} | ${ms(k.p99)} | ${ms(k.max)} |`,
    ),
    '',
    `Errors: ${reasons(result.errorReasons)}. Expected refusals: ${reasons(result.expectedReasons)}.`,
    `The streams read ${result.events} live events in all. What the pipeline decided for the ${stored} comments posted during the run: ` +
      `${Object.entries(result.outcomes)
        .sort((a, b) => b[1] - a[1])
        .map(([key, count]) => `${key} ${count}`)
        .join(
          ', ',
        )} (statuses as they stood at the end, after the moderator's decisions); ${result.pendingLeft} were still pending review when the load stopped.`,
    `Parley used ${percent(result.parleyCpuShare)} of one core on average and the load generator ${percent(result.generatorCpuShare)}; the whole machine, every process included (it is shared with other work), was busy ${percent(result.machineCpuShare)} of the ${os.cpus().length * 100}% its ${os.cpus().length} cores offer, and Parley's main thread spent ${percent(result.waitShare)} of the run ready to run but waiting for a core (\`/proc/<pid>/schedstat\`): latencies include that wait. CPU columns: shares of one core in the minute; "machine CPU" counts every process.`,
  ].join('\n');
}

function notifySection(results: NotifyBenchResult[]): string {
  const n = (value: number) => Math.round(value).toLocaleString('en');
  const rows = results.map((r) => {
    const ratio = r.on.rps / r.off.rps;
    return `| ${r.engine} | ${r.on.rps.toFixed(0)} (${r.on.spread}) | ${r.off.rps.toFixed(0)} (${r.off.spread}) | ${(100 * ratio).toFixed(0)}% | ${n(r.burst)} in ${r.burstSeconds.toFixed(1)} s (${(r.burst / r.burstSeconds).toFixed(0)}/s) | ${n(r.digestReaders)} in ${r.digestSeconds.toFixed(1)} s (${(r.digestReaders / r.digestSeconds).toFixed(0)}/s) | ${r.peakRssMb} |`;
  });
  const first = results[0];
  const met = results.every((r) => r.on.rps >= 0.9 * r.off.rps);
  return `## Notifications: the write path, a burst of replies, the hourly digest

${measured}

\`bench/notify.ts\`. **Write path**: two Parley processes (\`parley start\` settings) on two
databases seeded alike with ${first ? n(first.writers) : '?'} commenters who all asked for immediate
mail (no SMTP server: mail is held in the outbox after its job runs), one dispatching
(\`PARLEY_DISPATCH=1\`, the default) and one not (\`PARLEY_DISPATCH=0\`), loaded in alternating
rounds with the same distinct posts (a fifth of them replies to earlier comments, each making a bell
entry and a mail job); ${CONNECTIONS} connections, ${RUNS} rounds of ${DURATION} s, medians with each
round in brackets. **Burst**: a story where ${first ? n(first.readers) : '?'} readers each have a
comment and asked for immediate mail; ${first ? n(first.burst) : '?'} replies to as many of them
are posted over HTTP (20 at a time), and the time runs until a local SMTP server has received every
notification mail (dispatcher, then \`notify.email\` and \`mail.send\` jobs). **Digest**:
${first ? n(first.digestReaders) : '?'} more readers each with a notification waiting for the
hourly digest; the digest job is made due and the time runs until every digest is received. Peak
RSS is the burst-and-digest process's high-water mark (VmHWM).

| engine | posts/s, notifications on | posts/s, off | on / off | burst: mails | hourly digest | peak RSS MB |
|---|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Target (the write path within 10% with notifications on): ${met ? 'met' : 'not met'}.`;
}

function importSection(results: ImportBenchResult[]): string {
  const first = results[0];
  const n = (value: number) => Math.round(value).toLocaleString('en');
  const rows = results.map((r) =>
    [
      r.engine,
      n(r.imported),
      n(r.first.perSecond),
      r.first.peakRssMb.toFixed(0),
      (r.first.ms / 1000).toFixed(1),
      (r.again.ms / 1000).toFixed(1),
      r.again.peakRssMb.toFixed(0),
      r.exported ? n(r.exported.perSecond) : '–',
      r.exported ? r.exported.peakRssMb.toFixed(0) : '–',
    ].join(' | '),
  );
  return `## Import and export

${measured}

\`bench/import.ts\` writes a Disqus export of ${first ? n(first.comments) : '?'} posts over ${first ? n(first.threads) : '?'} threads
(${first ? first.fileMb.toFixed(0) : '?'} MB: HTML bodies of one to three paragraphs with links, bold text and line breaks; 40% replies to
one of the thread's last twenty posts; 1% spam, 2% deleted; one author per five posts), then runs
\`parley import disqus FILE --site ID --json\` as an operator would (with
\`NODE_OPTIONS=--max-old-space-size=${IMPORT_HEAP_MB}\`, as docs/import.md advises), a process of its own on a fresh
database, timing it and sampling its peak resident memory (VmHWM) every 100 ms; then the same
command again (every post found, nothing written), then \`parley export --site ID --out FILE\`.
Imported: published, pending and rejected posts, and deleted ones kept as tombstones under replies.

| engine | comments imported | comments/s | peak RSS MB | import s | re-run s | re-run peak RSS MB | export records/s | export peak RSS MB |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.map((row) => `| ${row} |`).join('\n')}

Target (issue 15): at least 20,000 comments/s on SQLite, peak resident memory under 300 MB
whatever the file size.

Not met. Where an import's time goes on SQLite (statement by statement, 100,000 comments): the
commits take about a third (each batch of 1,000 dirties pages all over the story-keyed indexes of
\`comments\`, which are written to the WAL and checkpointed), inserting into \`comments\` a fifth,
and converting and sanitising bodies most of the rest. Once collected, an import holds about 20 MB
of heap; its peak is V8's uncollected garbage, the converting thread and SQLite's cache. What would
reach the targets is in docs/import.md ("Speed and memory").`;
}

function soakSection(results: SoakResult[]): string {
  const r = SOAK_RATES;
  const [shortest, longest] = STREAM_LIFETIME;
  const command = `npm run bench -- --only soak --minutes ${MINUTES}${values.engines ? ` --engines ${values.engines}` : ''}`;
  return `## Soak: reads, writes, reactions, live streams and moderation together

Measured by \`${command}\` on
${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Not part of a plain
\`npm run bench\` (it takes \`--minutes\`, 30 by default): run it by name.

\`bench/soak.ts\`: a fresh database with one site whose moderation has every phase on (the write
bench's settings, \`bench/moderation-fixtures.ts\`: the 2,000-term word list, links, the classifier,
at most ${MAX_POSTS_PER_MINUTE} posts a minute per author, new commenters held), ${SOAK_STORIES} stories, ${SOAK_WRITERS} commenters seeded with a
session each and ${PREMODERATE_NEW_COMMENTERS} approved comments on the first story (the write bench's \`seedWriters\`), and a
moderator of the site, who signs in through the API. Parley runs as in the write bench
(\`bench/parley-server.ts\` in its own process, production settings, the read and write rate limits
raised but on, no per-connection request limit, the per-address stream limits raised). For the
whole run the bench process sends, each kind at a fixed rate whatever the pace of the answers
(open loop: a slow answer does not slow the next request, and latencies count from the moment a
request was due, over keep-alive connections from \`node:http\`):

- **${r.read} thread-page reads a second**: anonymous \`GET /api/v1/stories/:id/comments\`, ${pct(1 - CURSOR_SHARE)} first pages
  and ${pct(CURSOR_SHARE)} later pages by a cursor learnt from earlier answers;
- **${r.post} comment posts a second**: the commenters in turn (each posts ${((r.post * 60) / SOAK_WRITERS).toFixed(2)} times a minute), the
  write bench's distinct multilingual bodies (some with listed terms, links, or sentences the
  classifier holds; \`postAnyway\`), ${pct(REPLY_SHARE)} of them replies to an approved comment;
- **${r.reaction} reactions a second**: a random commenter gives a "Respect" to an approved comment (\`PUT
  /api/v1/comments/:id/reaction\`) or, ${pct(UNREACT_SHARE)} of the time, takes one back (\`DELETE\`);
- **${r.moderation} moderation decisions a second**: the moderator takes the pending queue from the front
  (\`GET /api/v1/admin/queues/pending\`, 100 at a time, read again when fewer than 20 are left) and
  approves (${pct(1 - REJECT_SHARE)}) or rejects (${pct(REJECT_SHARE)}, with a reason and a note) each comment
  (\`POST /api/v1/admin/comments/:id/approve\` or \`/reject\`);
- **${SOAK_STREAMS} live event streams** (\`GET /api/v1/stories/:id/events\`), ${pct(MAIN_STORY_SHARE)} on the first story and the rest
  on the others, each closed by its reader after ${shortest}–${longest} s and opened again a moment later
  (after a close by the server, it resumes with \`Last-Event-ID\`, as \`EventSource\` does).

Reads, posts and reactions go ${pct(MAIN_STORY_SHARE)} to the first story and the rest evenly to the others. Every
${SAMPLE_SECONDS} s the bench reads the server's resident memory (\`VmRSS\` in \`/proc/<pid>/status\`), its JS heap
in use (its \`/metrics\`) and its CPU time; each minute it counts every kind's 2xx answers, errors
(any other status, and socket errors or time-outs, 30 s) and latencies. Expected refusals are
counted apart: a decision due while the queue is empty, a reply that cannot be approved while its
parent is not published (409), PostgreSQL's \`503 BUSY\` (send again), a stream closed by the
server. The memory slope is a least-squares line through the RSS samples after the warm-up (the
first 5 minutes, or the first third of a shorter run), in MB per 10 minutes; the target is under
${SLOPE_LIMIT_MB}. Throughput in the plot is per minute on a log scale, so that reads and decisions share
an axis.

${results.map(soakTable).join('\n\n')}`;
}

// Sections of the current file, so that parts not run this time keep their figures.
const REPORT = path.join(ROOT, 'BENCHMARKS.md');
const previous = new Map<string, string>();
const existing = fs.existsSync(REPORT) ? fs.readFileSync(REPORT, 'utf8') : '';
for (const m of existing.matchAll(/<!-- bench:(\w+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g)) {
  previous.set(m[1] as string, m[2] as string);
}

// Parley's processes run as `parley start` does in production: from the server bundle, which
// bin/parley.js takes only when it is newer than the sources.
log(`built ${path.relative(ROOT, (await buildServer()).file)}`);

const engines = values.engines ? (values.engines.split(',') as EngineName[]) : await testEngines();
const sections = new Map<Part, string>();
if (ONLY.includes('phases')) {
  log(`[phases] timing each moderation phase over ${INPUTS} inputs`);
  sections.set('phases', phasesSection(await benchPhases(INPUTS, 5, log)));
}
if (ONLY.includes('read')) {
  const tables: string[] = [];
  for (const engine of engines) {
    for (const size of SIZES) {
      const rows = await benchEngine(engine, size);
      tables.push(`${table(`${engine}, ${size} comments`, rows)}\n\n${signedInVerdict(rows)}`);
    }
  }
  sections.set('read', readSection(tables));
}
if (ONLY.includes('rendered')) {
  // The server-rendered fragment of the biggest story's first page (bench/rendered.ts).
  const results: RenderedResult[] = [];
  for (const engine of engines) results.push(await benchRendered(engine, COMMENTS, LOAD));
  sections.set('rendered', renderedSection(results, measured));
}
if (ONLY.includes('write')) {
  const tables: string[] = [];
  for (const engine of engines) {
    tables.push(
      writeTable(
        engine,
        await benchWrites(engine, {
          ...LOAD,
          writers: WRITERS,
          profileDir: values.profile && path.resolve(values.profile, engine),
        }),
      ),
    );
  }
  sections.set('write', writeSection(tables));
}

if (ONLY.includes('classifier')) {
  sections.set('classifier', classifierSection(await benchClassifier(INPUTS, LOAD)));
}

if (ONLY.includes('live')) {
  log(`[live] ${READERS} readers, ${LIVE_COMMENTS} comments`);
  const results: LiveResult[] = [];
  for (const heapLimitMb of [undefined, LIVE_HEAP_MB]) {
    log(`[live] server heap limit: ${heapLimitMb ?? "Node's default"}`);
    results.push(
      await benchLive({
        readers: READERS,
        comments: LIVE_COMMENTS,
        clients: LIVE_CLIENTS,
        heapLimitMb,
        log,
      }),
    );
  }
  sections.set('live', liveSection(results));
}

if (ONLY.includes('scale')) {
  sections.set('scale', scaleSection(await benchScale({ comments: COMMENTS, load: LOAD, log })));
}

if (ONLY.includes('import')) {
  const results = await benchImport(engines, {
    comments: Number(values['import-comments']),
    threads: Number(values['import-threads']),
    log,
  });
  sections.set('import', importSection(results));
}

if (ONLY.includes('notify')) {
  const results = await benchNotify(engines, {
    writers: Math.min(WRITERS, 2000),
    readers: Number(values['notify-readers']),
    burst: Number(values['notify-burst']),
    digestReaders: Number(values['digest-readers']),
    load: LOAD,
  });
  sections.set('notify', notifySection(results));
}

if (ONLY.includes('hydration')) {
  // The widget's time to interactive in Chromium, with and without the server-rendered fragment.
  sections.set('hydration', hydrationSection(await benchHydration({ runs: RUNS, log }), measured));
}

if (ONLY.includes('soak')) {
  // Half an hour per engine: SQLite alone unless --engines names them.
  const soakEngines: EngineName[] = values.engines ? engines : ['sqlite'];
  const results: SoakResult[] = [];
  for (const engine of soakEngines) {
    const result = await benchSoak(engine, { minutes: MINUTES });
    const plot = path.join(ROOT, soakPlot(engine));
    fs.mkdirSync(path.dirname(plot), { recursive: true });
    fs.writeFileSync(plot, soakSvg(result));
    log(`[${engine}] wrote ${soakPlot(engine)}`);
    results.push(result);
  }
  sections.set('soak', soakSection(results));
}

const body = PARTS.map((part) => {
  const text = sections.get(part) ?? previous.get(part);
  return text === undefined ? '' : `<!-- bench:${part} -->\n${text}\n<!-- /bench:${part} -->`;
}).filter(Boolean);
const report = `# Benchmarks

Written by \`npm run bench\` (\`bench/run.ts\`); each section names the command and the day that
measured it (\`--only read,write,phases\` re-measures some sections and keeps the others).

${body.join('\n\n')}
`;
fs.writeFileSync(REPORT, report);
log(`wrote BENCHMARKS.md (${[...sections.keys()].join(', ')})`);
process.exit(0);
