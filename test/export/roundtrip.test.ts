/**
 * Parley's archive as a round trip across engines: a discussion built through the API on one
 * engine, exported, restored into a fresh instance on the other (SQLite → PostgreSQL and back),
 * must serve the same thread pages (same comments, nesting, counts and order, in every sort), hold
 * the same rows, and leave secrets, password hashes, sessions and IP addresses behind. Restoring
 * twice changes nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RECORD_TYPES } from '../../src/export/archive.ts';
import { restoreParleyExport, type RestoreReport } from '../../src/export/restore.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines, type EngineName } from '../helpers/engines.ts';
import {
  buildDiscussion,
  exportText,
  records,
  SECRETS,
  tableCounts,
  tempDir,
  type Discussion,
} from './fixtures.ts';

const engines = await testEngines();
const pairs: [EngineName, EngineName][] = engines.includes('postgres')
  ? [
      ['sqlite', 'postgres'],
      ['postgres', 'sqlite'],
    ]
  : [['sqlite', 'sqlite']];

const SORTS = ['newest', 'oldest', 'replies', 'reactions', 'featured'] as const;

/** Every page a reader can be served for the story: each sort, and every comment's replies. */
async function threadPages(app: TestApp, storyId: string): Promise<Record<string, unknown>> {
  const pages: Record<string, unknown> = {};
  const parents = new Set<string>();
  for (const sort of SORTS) {
    const page = await app.request({
      method: 'GET',
      url: `/api/v1/stories/${storyId}/comments?sort=${sort}&limit=100`,
    });
    assert.equal(page.status, 200, page.text);
    pages[sort] = page.json;
    const collect = (comments: { id: string; replyCount: number; replies?: unknown[] }[]) => {
      for (const comment of comments) {
        if (comment.replyCount > 0) parents.add(comment.id);
        if (comment.replies) collect(comment.replies as typeof comments);
      }
    };
    collect(page.json.comments);
  }
  for (const parent of [...parents].sort()) {
    const replies = await app.request({
      method: 'GET',
      url: `/api/v1/comments/${parent}/replies?limit=100`,
    });
    assert.equal(replies.status, 200, replies.text);
    pages[`replies ${parent}`] = replies.json;
    for (const reply of replies.json.comments) if (reply.replyCount > 0) parents.add(reply.id);
  }
  return pages;
}

for (const [from, to] of pairs) {
  describe(`Parley's archive, exported on ${from} and restored on ${to}`, () => {
    let source: TestApp;
    let target: TestApp;
    let discussion: Discussion;
    let dir: string;
    let file: string;
    let archive: string;
    let report: RestoreReport;

    before(async () => {
      dir = tempDir();
      file = path.join(dir, 'archive.ndjson');
      const env = { PARLEY_THREAD_CACHE_TTL_MS: '0' };
      source = await createTestApp(from, env);
      discussion = await buildDiscussion(source);
      archive = await exportText(source.store);
      fs.writeFileSync(file, archive);
      target = await createTestApp(to, env);
      report = await restoreParleyExport(target.store, file);
      await target.sites.refresh();
    });
    after(async () => {
      await source?.close();
      await target?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('serves the same thread pages: comments, nesting, counts, order, in every sort', async () => {
      for (const story of discussion.stories) {
        const expected = await threadPages(source, story);
        const actual = await threadPages(target, story);
        assert.ok(Object.keys(expected).length > SORTS.length, 'replies pages were compared too');
        assert.deepEqual(actual, expected);
      }
      // What the pages were about to show, spelled out once.
      const page = await target.request({
        method: 'GET',
        url: `/api/v1/stories/${discussion.stories[0]}/comments?sort=oldest&limit=100`,
      });
      const ids = page.json.comments.map((c: { id: string }) => c.id);
      const { comments } = discussion;
      assert.ok(ids.includes(comments.top) && ids.includes(comments.tombstone));
      assert.ok(!ids.includes(comments.rejected) && !ids.includes(comments.pending));
      assert.equal(
        page.json.story.commentCount,
        (
          await source.request({
            method: 'GET',
            url: `/api/v1/stories/${discussion.stories[0]}`,
          })
        ).json.story.commentCount,
      );
    });

    it('restores every record, and the same rows come back out', async () => {
      const end = records(archive).at(-1) as { type: string; counts: Record<string, number> };
      assert.equal(end.type, 'end');
      for (const type of RECORD_TYPES) {
        assert.equal(report.restored[type], end.counts[type], `${type} restored`);
        assert.equal(report.skippedExisting[type], 0, `${type} skipped`);
      }
      assert.ok(end.counts.comment === 14 && end.counts.reaction === 3 && end.counts.report === 1);
      assert.ok(end.counts.identity === 1 && end.counts.user_note === 1);
      assert.ok((end.counts.moderation_action ?? 0) > 0 && end.counts.import_source === 1);
      assert.deepEqual(report.merged, { users: 0, stories: 0 });
      assert.equal(report.orphaned, 0);
      assert.ok(report.secretsToEnterAgain.some((s) => s.endsWith('auth.sso.secret')));
      assert.ok(report.secretsToEnterAgain.some((s) => s.endsWith('auth.oidc.clientSecret')));
      assert.ok(report.secretsToEnterAgain.some((s) => s.endsWith('moderation.external.secret')));

      // The site's archive, exported again from where it was restored, is the same line for line
      // (but for the secrets, which were never there to remove again).
      const body = (text: string) =>
        records(text)
          .slice(1)
          .map(({ secretsRemoved: _, ...record }) => record);
      assert.deepEqual(
        body(await exportText(target.store, source.site.id)),
        body(await exportText(source.store, source.site.id)),
      );
    });

    it('keeps what moderators decided: the rejection, the feature, the report, the hold', async () => {
      const row = (id: string | undefined) =>
        target.store.db
          .selectFrom('comments')
          .selectAll()
          .where('id', '=', id as string)
          .executeTakeFirstOrThrow();
      const rejected = await row(discussion.comments.rejected);
      assert.equal(rejected.status, 'rejected');
      assert.equal(rejected.rejection_code, 'SPAM');
      assert.equal(rejected.rejection_note, 'Advertising.');
      assert.equal(Boolean((await row(discussion.comments.featured)).featured), true);
      assert.equal((await row(discussion.comments.reported)).open_reports, 1);
      assert.equal((await row(discussion.comments.pending)).status, 'pending');
      const tombstone = await row(discussion.comments.tombstone);
      assert.notEqual(tombstone.deleted_at, null, 'a tombstone stays deleted');
      assert.equal(tombstone.reply_count, 1);
      const dana = await target.store.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', discussion.readers.dana?.id as string)
        .executeTakeFirstOrThrow();
      assert.equal(dana.warning, 'Mind the tone.');
      assert.equal(dana.password_hash, null, 'a restored account has no password');
      assert.notEqual(dana.email_verified_at, null);
    });

    it('leaves secrets, password hashes, sessions, tokens and IP addresses out', async () => {
      for (const secret of Object.values(SECRETS)) assert.ok(!archive.includes(secret), secret);
      assert.doesNotMatch(archive, /\$argon2/);
      assert.doesNotMatch(archive, /password_?hash|token_?hash|refresh_?hash/i);
      assert.doesNotMatch(archive, /127\.0\.0\.1|::1|lightMyRequest/);
      assert.doesNotMatch(archive, /author_?ip|user_?agent/i);
      const sessions = await source.store.db.selectFrom('sessions').select('token_hash').execute();
      assert.ok(sessions.length > 0);
      for (const { token_hash } of sessions) assert.ok(!archive.includes(token_hash));
      for (const reader of Object.values(discussion.readers)) {
        assert.ok(!archive.includes(reader.token), 'no bearer token');
      }
      const ips = await source.store.db
        .selectFrom('comments')
        .select('author_ip')
        .where('author_ip', 'is not', null)
        .execute();
      assert.ok(ips.length > 0, 'the source did keep addresses');
      const site = records(archive).find((r) => r.type === 'site') as Record<string, unknown>;
      assert.deepEqual([...(site.secretsRemoved as string[])].sort(), [
        'auth.oidc.clientSecret',
        'auth.sso.secret',
        'moderation.external.secret',
      ]);
      assert.equal((site.auth as { oidc: { clientId: string } }).oidc.clientId, 'parley');
    });

    it('changes nothing when restored a second time', async () => {
      const beforeCounts = await tableCounts(target.store);
      const beforeArchive = records(await exportText(target.store)).slice(1);
      const again = await restoreParleyExport(target.store, file);
      assert.deepEqual(await tableCounts(target.store), beforeCounts);
      assert.deepEqual(records(await exportText(target.store)).slice(1), beforeArchive);
      for (const type of RECORD_TYPES) {
        assert.equal(again.restored[type], 0, `${type} restored again`);
        assert.equal(again.skippedExisting[type], report.restored[type], `${type} skipped`);
      }
    });
  });
}
