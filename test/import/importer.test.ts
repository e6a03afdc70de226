/**
 * Importing Disqus and WordPress exports (fixtures written for the project in the formats' real
 * shapes) into a site, on both engines, and reading the result as readers and moderators do:
 * through the API's thread pages and the stored rows. Covers nesting (replies arriving before
 * their parent, deeper than the site shows), states, tombstones, closed threads, matching
 * existing stories, the story map, a dry run, re-running (nothing changes) and imported authors
 * claimed by a reader who confirms the same address.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportWxr } from '../../src/export/wxr.ts';
import { findFormat } from '../../src/import/formats/index.ts';
import { runImport, type ImportOptions, type ImportReport } from '../../src/import/importer.ts';
import {
  CLASSIFIER_LABELS,
  type Classifier,
  type ClassifierScores,
} from '../../src/domain/moderation/phases/classifier.ts';
import { insertUser, markEmailVerified, claimHash } from '../../src/store/users.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const DISQUS = path.join(import.meta.dirname, 'fixtures/disqus/export.xml');
const WORDPRESS = path.join(import.meta.dirname, 'fixtures/wordpress/export.xml');

interface PageComment {
  id: string;
  html: string;
  status: string;
  deleted: boolean;
  depth: number;
  createdAt: string;
  replyCount: number;
  author: { id: string; displayName: string } | null;
  replies?: PageComment[];
}

function importInto(
  app: TestApp,
  format: string,
  file: string,
  extra: Partial<ImportOptions> = {},
) {
  const found = findFormat(format);
  assert.ok(found, format);
  return runImport(app.store, { site: app.site, format: found, file, ...extra });
}

async function resolve(app: TestApp, url: string, storyId?: string) {
  const response = await app.request({
    method: 'POST',
    url: '/api/v1/stories/resolve',
    body: storyId ? { url, storyId } : { url },
  });
  assert.equal(response.status, 200, response.text);
  return response.json.story as {
    id: string;
    title: string;
    commentCount: number;
    closed: boolean;
    url: string;
  };
}

async function thread(app: TestApp, storyId: string): Promise<PageComment[]> {
  const response = await app.request({
    method: 'GET',
    url: `/api/v1/stories/${storyId}/comments?sort=oldest`,
  });
  assert.equal(response.status, 200, response.text);
  return response.json.comments as PageComment[];
}

async function tableCounts(app: TestApp) {
  const count = async (table: 'comments' | 'stories' | 'users' | 'import_sources') =>
    Number(
      (
        await app.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    comments: await count('comments'),
    stories: await count('stories'),
    users: await count('users'),
    sources: await count('import_sources'),
  };
}

function skipped(report: ImportReport) {
  return Object.fromEntries(Object.entries(report.skipped).map(([k, v]) => [k, v.count]));
}

for (const engine of await testEngines()) {
  describe(`import (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(engine);
    });
    after(() => app.close());

    test('a Disqus export becomes the same threads, dates and states', async () => {
      const report = await importInto(app, 'disqus', DISQUS);
      assert.equal(report.state, 'done', report.error ?? '');
      assert.deepEqual(report.comments, {
        imported: 9,
        unchanged: 0,
        approved: 6,
        pending: 1,
        rejected: 1,
        tombstones: 1,
        toReview: 0,
      });
      assert.deepEqual(skipped(report), {
        deleted: 2,
        empty_body: 1,
        unknown_thread: 1,
        orphan: 1,
      });
      assert.equal(report.stories.created, 2);

      const story = await resolve(app, 'https://news.example/2024/bridge-vote', 'bridge-2024-vote');
      assert.equal(story.title, 'Council votes to rebuild the old bridge & toll road');
      // Published and not deleted: 5001, 5002, 5003, 5004 and 5006.
      assert.equal(story.commentCount, 5);
      const top = await thread(app, story.id);
      assert.deepEqual(
        top.map((c) => [c.createdAt, c.status, c.deleted]),
        [
          ['2024-03-01T10:15:00.000Z', 'approved', false],
          ['2024-03-02T08:00:00.000Z', 'deleted', true],
        ],
        'the spam is not shown; the deleted comment stays as a tombstone for its reply',
      );
      const [first, tombstone] = top as [PageComment, PageComment];
      assert.match(first.html, /<strong>2019 survey<\/strong>/);
      assert.match(
        first.html,
        /href="https:\/\/council\.example\/survey\.pdf" rel="nofollow ugc noopener"/,
      );
      assert.equal(first.author?.displayName, 'Marta K.');
      // 5002 answers 5001; 5003 answers 5002; 5004 (read before 5003) answers 5003.
      const second = first.replies?.[0];
      assert.equal(second?.depth, 1);
      assert.equal(second?.replyCount, 1);
      assert.equal(tombstone.replies?.[0]?.author?.displayName, 'نور');
      const deeper = await app.request({
        method: 'GET',
        url: `/api/v1/comments/${second?.id}/replies`,
      });
      assert.equal(deeper.status, 200, deeper.text);
      const third = deeper.json.comments[0] as PageComment;
      assert.match(third.html, /reply to Tom/);
      const rows = await app.store.db
        .selectFrom('comments')
        .select(['depth', 'status', 'reviewed_at', 'rejection_note', 'body', 'html', 'author_ip'])
        .orderBy('id')
        .execute();
      assert.ok(rows.some((r) => r.depth === 3 && r.body.startsWith('Replying to a reply')));
      const spam = rows.find((r) => r.status === 'rejected');
      assert.equal(spam?.rejection_note, 'Imported as spam');
      const pending = rows.find((r) => r.status === 'pending');
      assert.equal(pending?.reviewed_at, null, 'pending comments wait in the queue');
      for (const row of rows) {
        assert.doesNotMatch(row.html, /<script|onerror|<img/);
        assert.ok(
          row.author_ip === null || /^[\d.:a-f]+$/.test(row.author_ip),
          row.author_ip ?? '',
        );
      }

      const ferry = await resolve(app, 'https://news.example/2023/ferry-timetable');
      assert.equal(ferry.closed, true, 'a closed Disqus thread is a closed story');
      const [wei] = await thread(app, ferry.id);
      assert.match(wei?.html ?? '', /渡轮冬季时刻表太早了。<br \/>\n能不能晚一点？/);
      assert.match(wei?.html ?? '', /<blockquote>\n<p>quoting the timetable<\/p>\n<\/blockquote>/);
      assert.match(wei?.html ?? '', /<code>07:05<\/code>/);
    });

    test('running the same file again changes nothing', async () => {
      const before = await tableCounts(app);
      const report = await importInto(app, 'disqus', DISQUS);
      assert.equal(report.state, 'done');
      assert.equal(report.comments.imported, 0);
      assert.equal(report.comments.unchanged, 13);
      assert.equal(report.stories.created, 0);
      assert.equal(report.authors.created, 0);
      assert.deepEqual(await tableCounts(app), before);
    });

    test('a WordPress export: newlines, pingbacks, held and spam comments, closed posts', async () => {
      // On a worker thread (the others convert in place, as a one-core machine does).
      const report = await importInto(app, 'wordpress', WORDPRESS, { threads: 1 });
      assert.equal(report.state, 'done', report.error ?? '');
      assert.deepEqual(
        [report.comments.approved, report.comments.pending, report.comments.rejected],
        [3, 1, 1],
      );
      assert.deepEqual(skipped(report), { not_a_comment: 1, deleted: 1 });
      // Grace wrote twice with her address in two cases: one profile.
      assert.equal(report.authors.created, 4);
      const story = await resolve(app, 'https://news.example/2022/market-hall/');
      assert.equal(story.commentCount, 2);
      const [grace] = await thread(app, story.id);
      assert.equal(grace?.createdAt, '2022-05-10T09:30:00.000Z');
      assert.match(grace?.html ?? '', /stalls back\.<br \/>\nThe fish counter/);
      assert.match(grace?.html ?? '', /\*asking\* for a friend/, 'text stays text');
      assert.match(grace?.replies?.[0]?.html ?? '', /<strong>9 to 2<\/strong>/);
      const closed = await resolve(app, 'https://news.example/2021/dredging/');
      assert.equal(closed.closed, true);
    });

    test('a Parley WXR export imports back (WordPress importer) into the same threads', async () => {
      const chunks: string[] = [];
      await exportWxr(app.store, {
        siteId: app.site.id,
        write: (chunk) => void chunks.push(chunk),
      });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-wxr-'));
      const other = await createTestApp(engine);
      try {
        const file = path.join(dir, 'export.xml');
        fs.writeFileSync(file, chunks.join(''));
        const report = await importInto(other, 'wordpress', file);
        assert.equal(report.state, 'done', report.error ?? '');
        assert.deepEqual(skipped(report), {}, 'every comment exported comes back');
        const bridge = await resolve(other, 'https://news.example/2024/bridge-vote');
        const original = await resolve(
          app,
          'https://news.example/2024/bridge-vote',
          'bridge-2024-vote',
        );
        assert.equal(bridge.commentCount, original.commentCount);
        const shape = (comments: PageComment[]): unknown =>
          comments.map((c) => [
            c.createdAt,
            c.deleted,
            c.html,
            c.replyCount,
            shape(c.replies ?? []),
          ]);
        assert.deepEqual(
          shape(await thread(other, bridge.id)),
          shape(await thread(app, original.id)),
        );
      } finally {
        await other.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('comments join a story the site already has, by identifier or address', async () => {
      const other = await createTestApp(engine);
      try {
        const existing = await resolve(other, 'https://news.example/2023/ferry-timetable?utm=x');
        const byId = await resolve(other, `${SITE_ORIGIN}/moved/bridge`, 'bridge-2024-vote');
        const report = await importInto(other, 'disqus', DISQUS);
        assert.equal(report.stories.matched, 1, 'the bridge thread by its identifier');
        assert.equal(report.stories.created, 1, 'the ferry URL differs by its query string');
        assert.equal(
          (await resolve(other, `${SITE_ORIGIN}/moved/bridge`, 'bridge-2024-vote')).commentCount,
          5,
        );
        assert.equal(byId.commentCount, 0);
        assert.equal((await thread(other, existing.id)).length, 0);
      } finally {
        await other.close();
      }
    });

    test('a story map sends a thread to the address its story has now', async () => {
      const other = await createTestApp(engine);
      try {
        const storyMap = new Map([
          ['https://news.example/2023/ferry-timetable', 'https://news.example/ferries/winter'],
        ]);
        const report = await importInto(other, 'disqus', DISQUS, { storyMap });
        assert.equal(report.state, 'done');
        const moved = await resolve(other, 'https://news.example/ferries/winter');
        assert.equal(moved.commentCount, 1);
        assert.equal(moved.closed, true);
      } finally {
        await other.close();
      }
    });

    test('a dry run reads and reports everything and writes nothing', async () => {
      const other = await createTestApp(engine);
      try {
        const before = await tableCounts(other);
        const report = await importInto(other, 'disqus', DISQUS, { dryRun: true });
        assert.equal(report.state, 'done');
        assert.equal(report.runId, null);
        assert.equal(report.comments.imported, 9);
        assert.equal(report.stories.created, 2);
        assert.deepEqual(await tableCounts(other), before);
        const runs = await other.store.db.selectFrom('import_runs').selectAll().execute();
        assert.equal(runs.length, 0);
      } finally {
        await other.close();
      }
    });

    test('--score: published comments the classifier would hold wait in the Unmoderated queue', async () => {
      const other = await createTestApp(engine);
      try {
        // Holds whatever mentions the toll (the second comment); clean for the rest.
        const classifier: Classifier = {
          classify: (text: string) => ({
            model: 'test-model',
            language: 'en',
            scores: Object.fromEntries(
              CLASSIFIER_LABELS.map((label) => [
                label,
                label === 'insult' && /toll/.test(text) ? 0.97 : 0.02,
              ]),
            ) as ClassifierScores['scores'],
          }),
        };
        const report = await importInto(other, 'disqus', DISQUS, { classifier });
        assert.equal(report.comments.toReview, 1);
        assert.equal(report.comments.approved, 6, 'still published');
        const queue = await other.request({
          method: 'GET',
          url: `/api/v1/admin/queues/unmoderated?siteId=${other.site.id}`,
          token: await other.admin(),
        });
        assert.equal(queue.status, 200, queue.text);
        const items = queue.json.items as {
          comment: {
            html: string;
            status: string;
            moderation: { tags: string[]; scores: Record<string, number> };
          };
        }[];
        assert.equal(items.length, 1);
        assert.match(items[0]?.comment.html ?? '', /The toll pays it/);
        assert.equal(items[0]?.comment.status, 'approved');
        assert.ok(items[0]?.comment.moderation.tags.includes('review-imported'));
        assert.equal(items[0]?.comment.moderation.scores.insult, 0.97);
      } finally {
        await other.close();
      }
    });

    test('imported authors: merged into a confirmed reader, claimed by one who confirms later', async () => {
      const other = await createTestApp(engine);
      try {
        const tom = await insertUser(other.store.db, {
          email: 'tom@example.org',
          displayName: 'Tom Walker',
          passwordHash: null,
          role: 'commenter',
        });
        const marta = await insertUser(other.store.db, {
          email: 'marta@example.org',
          displayName: 'Marta',
          passwordHash: null,
          role: 'commenter',
          emailVerified: false,
        });
        assert.ok(tom && marta);
        const report = await importInto(other, 'disqus', DISQUS);
        assert.equal(report.authors.merged, 1, 'Tom has a confirmed account already');
        const byAuthor = async (id: string) =>
          (
            await other.store.db
              .selectFrom('comments')
              .select('id')
              .where('author_id', '=', id)
              .execute()
          ).length;
        assert.equal(await byAuthor(tom.id), 1);
        assert.equal(await byAuthor(marta.id), 0, 'an unconfirmed address claims nothing');
        const profile = await other.store.db
          .selectFrom('users')
          .select(['id', 'email', 'password_hash', 'claim_email_hash', 'imported_at'])
          .where('claim_email_hash', '=', claimHash('marta@example.org'))
          .executeTakeFirstOrThrow();
        assert.match(profile.email, /@parley\.invalid$/, 'no imported address is stored as such');
        assert.equal(profile.password_hash, null);
        assert.equal(await byAuthor(profile.id), 2);

        await other.store.db.transaction().execute((trx) => markEmailVerified(trx, marta.id));
        assert.equal(await byAuthor(marta.id), 2, 'confirming the address claims the history');
        assert.equal(await byAuthor(profile.id), 0);
        const again = await importInto(other, 'disqus', DISQUS);
        assert.equal(again.comments.imported, 0);
        assert.equal(await byAuthor(marta.id), 2);
      } finally {
        await other.close();
      }
    });
  });
}

/**
 * A Disqus file where replies answer posts read long before (and deleted posts whose only reply
 * comes much later), to import with caches far smaller than the file.
 */
function longThreads(dir: string): string {
  const posts: string[] = [];
  for (let i = 1; i <= 300; i++) {
    // Even posts answer one 20 or 40 posts back (same thread): about as far as the small cache
    // reaches, and past it. Every 7th post is deleted, and some of them are answered.
    const back = i % 4 === 0 ? 40 : 20;
    const parent = i > 40 && i % 2 === 0 ? `<parent dsq:id="p${i - back}"/>` : '';
    posts.push(
      `<post dsq:id="p${i}"><message><![CDATA[<p>Post ${i}</p>]]></message>` +
        `<createdAt>${new Date(Date.UTC(2020, 0, 1, 0, i)).toISOString()}</createdAt>` +
        `<isDeleted>${i % 7 === 0}</isDeleted><isSpam>false</isSpam>` +
        `<author><name>Reader ${i % 13}</name><username>r${i % 13}</username></author>` +
        `<thread dsq:id="t${1 + (i % 5)}"/>${parent}</post>`,
    );
  }
  const threads = [1, 2, 3, 4, 5].map(
    (t) =>
      `<thread dsq:id="t${t}"><id>long-${t}</id><link>https://news.example/long/${t}</link>` +
      `<title>Long ${t}</title></thread>`,
  );
  const file = path.join(dir, 'long.xml');
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?><disqus>${threads.join('')}${posts.join('\n')}</disqus>`,
  );
  return file;
}

test('caches far smaller than the file place every reply as a large cache does', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-import-'));
  const small = await createTestApp('sqlite');
  const large = await createTestApp('sqlite');
  try {
    const file = longThreads(dir);
    const tiny = await importInto(small, 'disqus', file, { batchSize: 5, cacheEntries: 1 });
    const roomy = await importInto(large, 'disqus', file, { batchSize: 1000 });
    assert.equal(tiny.state, 'done', tiny.error ?? '');
    assert.deepEqual(skipped(tiny), skipped(roomy));
    assert.equal(skipped(tiny).orphan, undefined, 'no reply lost its parent');
    assert.deepEqual(tiny.comments, roomy.comments);
    assert.equal(tiny.authors.created, 13, 'each author once');
    const shape = async (app: TestApp) =>
      (
        await app.store.db
          .selectFrom('comments as c')
          .leftJoin('comments as p', 'p.id', 'c.parent_id')
          .select(['c.body', 'c.depth', 'c.status', 'c.reply_count', 'p.created_at as parent_at'])
          .orderBy('c.created_at')
          .execute()
      ).map((r) => [r.body, r.depth, r.status, r.reply_count, r.parent_at && String(r.parent_at)]);
    assert.deepEqual(await shape(small), await shape(large));
  } finally {
    await small.close();
    await large.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an import refuses to start beside another running import of the site', async () => {
  const app = await createTestApp('sqlite');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-import-'));
  try {
    const now = new Date().toISOString();
    await app.store.db
      .insertInto('import_runs')
      .values({
        id: 'RUN1',
        site_id: app.site.id,
        format: 'disqus',
        file_name: 'big.xml',
        file_bytes: 1,
        state: 'running',
        dry_run: 0,
        started_by: null,
        started_at: now,
        heartbeat_at: now,
        report: '{}',
      })
      .execute();
    await assert.rejects(
      importInto(app, 'disqus', DISQUS),
      /another import .* is running \(run RUN1/,
    );
    await app.store.db
      .updateTable('import_runs')
      .set({ heartbeat_at: new Date(Date.now() - 10 * 60_000).toISOString() })
      .execute();
    const report = await importInto(app, 'disqus', DISQUS);
    assert.equal(report.state, 'done');
    const old = await app.store.db
      .selectFrom('import_runs')
      .select(['state', 'error'])
      .where('id', '=', 'RUN1')
      .executeTakeFirstOrThrow();
    assert.equal(old.state, 'failed');
    assert.match(old.error ?? '', /interrupted/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await app.close();
  }
});
