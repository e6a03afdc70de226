/**
 * Parley's archive carries what readers chose and what Q&A and the Best order hold (archive version
 * 2): a reader's private history and ignores, a Q&A story's mode, open state, section, experts,
 * votes and answers, a site's default order, pinning, rendering switch and Q&A sections, and the
 * comments' views. Exported on one engine and restored on the other, every row of those tables comes
 * back as it was; restored into accounts the instance has, a private history stays private; one
 * site's archive holds only that site's; and a version 1 archive (without any of it) still
 * restores, with the defaults.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bestKey } from '../../src/domain/best.ts';
import { RECORD_TYPES } from '../../src/export/archive.ts';
import { restoreParleyExport } from '../../src/export/restore.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testEngines, type EngineName } from '../helpers/engines.ts';
import { exportText, records, tempDir } from './fixtures.ts';

const engines = await testEngines();
const pairs: [EngineName, EngineName][] = engines.includes('postgres')
  ? [
      ['sqlite', 'postgres'],
      ['postgres', 'sqlite'],
    ]
  : [['sqlite', 'sqlite']];

const OTHER_ORIGIN = 'https://other.example';

/** Columns an archive never carries (docs/export.md, "What is left out"), by table. */
const LEFT_OUT: Record<string, string[]> = {
  // auth and moderation lose their secrets; branding is not in the archive.
  sites: ['auth', 'moderation', 'branding'],
  users: ['password_hash', 'mail_bounced_at'],
  comments: ['author_ip', 'author_user_agent'],
};

/** The tables compared row for row, with the columns that order them. */
const TABLES: Record<string, string[]> = {
  sites: ['id'],
  qa_sections: ['site_id', 'section'],
  stories: ['id'],
  users: ['id'],
  profile_settings: ['user_id'],
  ignores: ['user_id', 'ignored_user_id'],
  story_experts: ['story_id', 'user_id'],
  comments: ['id'],
  reactions: ['comment_id', 'user_id'],
  question_votes: ['comment_id', 'user_id'],
};

/** A value as both engines can be compared on: flags as 0/1, times as ISO strings. */
function normal(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) {
    return new Date(value).toISOString();
  }
  return value;
}

/**
 * Every row of the tables above, every column but those left out, in key order (sorted here:
 * the engines' collations differ on text such as "Économie").
 */
async function tableContents(
  store: Pick<Store, 'db'>,
): Promise<Record<string, Record<string, unknown>[]>> {
  const contents: Record<string, Record<string, unknown>[]> = {};
  for (const [table, key] of Object.entries(TABLES)) {
    const rows = (await store.db
      .selectFrom(table as 'sites')
      .selectAll()
      .execute()) as Record<string, unknown>[];
    const order = (row: Record<string, unknown>) => key.map((column) => String(row[column]));
    rows.sort((a, b) => (order(a).join('\n') < order(b).join('\n') ? -1 : 1));
    contents[table] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row)
          .filter(([column]) => !(LEFT_OUT[table] ?? []).includes(column))
          .map(([column, value]) => [column, normal(value)]),
      ),
    );
  }
  return contents;
}

interface Built {
  story: string;
  closedStory: string;
  sectionStory: string;
  otherSite: string;
  privateReader: string;
  /** Addresses of the private reader, of the one who ignores, and of the other site's voter. */
  emails: { hidden: string; asker: string; otherVoter: string };
  answered: string;
  unanswered: string;
  otherVoter: string;
}

/** The site, its Q&A, its readers' choices and views, through the API; and a second site's Q&A. */
async function build(app: TestApp): Promise<Built> {
  const admin = await app.admin();
  const call = async (
    method: 'POST' | 'PUT' | 'PATCH',
    url: string,
    token: string,
    body?: unknown,
    origin?: string,
  ) => {
    const response = await app.request({
      method,
      url: `/api/v1${url}`,
      token,
      body,
      ...(origin && { origin }),
    });
    assert.ok(response.status < 300, `${method} ${url}: ${response.text}`);
    return response;
  };
  const [asker, other, voter, hidden, expert] = [
    await app.signup('Asker'),
    await app.signup('Other Asker'),
    await app.signup('Voter'),
    await app.signup('Keeps History Private'),
    await app.signup('Dana Expert'),
  ];
  await app.store.db
    .updateTable('users')
    .set({ role: 'staff' })
    .where('id', '=', expert.id)
    .execute();

  // The site: Best by default, newsroom pinned, no rendered pages, politics starts as Q&A.
  await call('PATCH', `/sites/${app.site.id}`, admin, {
    defaultSort: 'best',
    pinNewsroom: true,
    rendering: false,
  });
  await call('PUT', `/admin/sites/${app.site.id}/qa-defaults`, admin, {
    sections: ['politics', 'Économie <b>'],
  });

  // Readers' choices: a private history, an ignore.
  await call('PATCH', '/me/profile', hidden.token, { private: true });
  await call('PUT', `/me/ignores/${other.id}`, asker.token);

  // A Q&A story with an expert, questions, votes and an answer.
  const story = await app.story('qa-export');
  await call('PUT', `/admin/stories/${story}/qa`, admin, {
    enabled: true,
    experts: [{ id: expert.id, title: 'Climate reporter' }],
  });
  const ask = async (token: string, body: string, parent?: string) => {
    const posted = await app.post(story, token, body, parent);
    assert.equal(posted.status, 201, posted.text);
    return posted.json.comment.id as string;
  };
  const answered = await ask(asker.token, 'When do the new rates apply?');
  const unanswered = await ask(other.token, 'Who decided this?');
  await ask(hidden.token, 'A question from a private history.');
  for (const token of [voter.token, hidden.token]) {
    await call('PUT', `/comments/${answered}/vote`, token);
  }
  await call('PUT', `/comments/${unanswered}/vote`, voter.token);
  await ask(expert.token, 'From 1 March.', answered);
  await app.dispatcher.drain(); // marks the answer, and the question answered
  await call('PUT', `/comments/${unanswered}/reaction`, voter.token);

  // A closed Q&A, and a story that started as Q&A from its section.
  const closedStory = await app.story('qa-closed');
  await call('PUT', `/admin/stories/${closedStory}/qa`, admin, { enabled: true, open: false });
  const resolved = await app.request({
    method: 'POST',
    url: '/api/v1/stories/resolve',
    body: {
      url: 'https://news.example/news/politics-1',
      storyId: 'politics-1',
      section: 'politics',
    },
  });
  assert.equal(resolved.status, 200, resolved.text);
  const sectionStory = resolved.json.story.id as string;

  // Views: counted, flushed, and the Best keys moved with them.
  for (const remoteAddress of ['203.0.113.7', '203.0.113.8']) {
    const sent = await app.app.inject({
      method: 'POST',
      url: `/api/v1/stories/${story}/views`,
      remoteAddress,
      headers: { origin: 'https://news.example' },
      payload: { commentIds: [answered, unanswered] },
    });
    assert.equal(sent.statusCode, 204, sent.body);
  }
  await app.views.flush();

  // Another site, with a Q&A of its own: an expert and a voter seen only there.
  const otherSite = await insertSite(app.store.db, {
    name: 'Other Paper',
    allowedOrigins: [OTHER_ORIGIN],
    editWindowSeconds: 300,
    maxDepth: 3,
    moderation: { repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
  });
  await app.sites.refresh();
  const [otherExpert, otherVoter] = [
    await app.signup('Elsewhere Expert'),
    await app.signup('Elsewhere Voter'),
  ];
  await app.store.db
    .updateTable('users')
    .set({ role: 'staff' })
    .where('id', '=', otherExpert.id)
    .execute();
  const otherStory = await app.request({
    method: 'POST',
    url: '/api/v1/stories/resolve',
    origin: OTHER_ORIGIN,
    body: { url: `${OTHER_ORIGIN}/a`, storyId: 'other-qa' },
  });
  assert.equal(otherStory.status, 200, otherStory.text);
  const otherStoryId = otherStory.json.story.id as string;
  await call('PUT', `/admin/stories/${otherStoryId}/qa`, admin, {
    enabled: true,
    experts: [otherExpert.id],
  });
  await call('PUT', `/admin/sites/${otherSite.id}/qa-defaults`, admin, { sections: ['sport'] });
  const otherQuestion = await app.request({
    method: 'POST',
    url: `/api/v1/stories/${otherStoryId}/comments`,
    origin: OTHER_ORIGIN,
    token: asker.token,
    body: { body: 'A question on the other site.' },
  });
  assert.equal(otherQuestion.status, 201, otherQuestion.text);
  await call(
    'PUT',
    `/comments/${otherQuestion.json.comment.id as string}/vote`,
    otherVoter.token,
    undefined,
    OTHER_ORIGIN,
  );
  await call('PATCH', '/me/profile', otherVoter.token, { private: true });

  return {
    story,
    closedStory,
    sectionStory,
    otherSite: otherSite.id,
    privateReader: hidden.id,
    emails: { hidden: hidden.email, asker: asker.email, otherVoter: otherVoter.email },
    answered,
    unanswered,
    otherVoter: otherVoter.id,
  };
}

/** A fresh, migrated database of the engine, dropped after `use`. */
async function withFreshStore(
  engine: EngineName,
  use: (store: Store) => Promise<void>,
): Promise<void> {
  const database = await createTestDatabase(engine);
  const store = openStore(database.config);
  try {
    await migrate(store);
    await use(store);
  } finally {
    await store.close();
    await database.drop();
  }
}

for (const [from, to] of pairs) {
  describe(`readers' choices, Q&A and the Best order in the archive (${from} to ${to})`, () => {
    let source: TestApp;
    let built: Built;
    let dir: string;
    let archive: string;

    before(async () => {
      dir = tempDir();
      source = await createTestApp(from, {
        PARLEY_THREAD_CACHE_TTL_MS: '0',
        PARLEY_WRITE_RATE_LIMIT: '100000',
      });
      built = await build(source);
      archive = await exportText(source.store);
    });
    after(async () => {
      await source?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('holds what the source holds, and every row comes back the same', async () => {
      // The source really has what is to survive.
      const expected = await tableContents(source.store);
      const site = expected.sites?.find((row) => row.id === source.site.id);
      assert.deepEqual([site?.default_sort, site?.pin_newsroom, site?.rendering], ['best', 1, 0]);
      assert.deepEqual(
        expected.profile_settings?.map((row) => row.private),
        [1, 1],
      );
      assert.equal(expected.ignores?.length, 1);
      assert.equal(expected.story_experts?.length, 2);
      assert.equal(expected.question_votes?.length, 4);
      assert.equal(expected.qa_sections?.length, 3);
      const stories = new Map(expected.stories?.map((row) => [row.id, row]));
      assert.equal(stories.get(built.story)?.mode, 'qa');
      assert.equal(stories.get(built.closedStory)?.qa_open, 0);
      assert.deepEqual(
        [stories.get(built.sectionStory)?.mode, stories.get(built.sectionStory)?.section],
        ['qa', 'politics'],
      );
      const comments = new Map(expected.comments?.map((row) => [row.id, row]));
      const answered = comments.get(built.answered);
      assert.equal(answered?.vote_count, 2);
      assert.notEqual(answered?.answered_at, null);
      assert.equal(answered?.view_count, 2);
      assert.ok(expected.comments?.some((row) => row.qa_answer === 1));
      const viewed = comments.get(built.unanswered);
      assert.equal(
        viewed?.best_key,
        bestKey({ respects: 1, views: 2, createdAt: String(viewed?.created_at) }),
      );

      const header = records(archive)[0];
      assert.equal(header?.version, 2);
      const file = path.join(dir, 'all.ndjson');
      fs.writeFileSync(file, archive);
      await withFreshStore(to, async (store) => {
        const report = await restoreParleyExport(store, file);
        assert.equal(report.orphaned, 0);
        assert.equal(report.restored.profile_setting, 2);
        assert.equal(report.restored.question_vote, 4);
        assert.deepEqual(await tableContents(store), expected);
        // A second run changes nothing.
        const again = await restoreParleyExport(store, file);
        for (const type of RECORD_TYPES) assert.equal(again.restored[type], 0, type);
        assert.deepEqual(await tableContents(store), expected);
      });
    });

    it('into accounts the instance has: a choice not made there is taken, one made there kept', async () => {
      const file = path.join(dir, 'merge.ndjson');
      fs.writeFileSync(file, archive);
      await withFreshStore(to, async (store) => {
        const holders: Record<string, string> = {};
        for (const [name, email] of Object.entries(built.emails)) {
          const user = await insertUser(store.db, {
            email,
            displayName: `Here ${name}`,
            passwordHash: null,
            role: 'commenter',
          });
          holders[name] = user?.id as string;
        }
        // The other site's voter chose a public history here; the archive says private.
        await store.db
          .insertInto('profile_settings')
          .values({
            user_id: holders.otherVoter as string,
            private: 0,
            updated_at: new Date().toISOString(),
          })
          .execute();
        const report = await restoreParleyExport(store, file);
        assert.equal(report.merged.users, 3);
        const settings = await store.db.selectFrom('profile_settings').selectAll().execute();
        const privateOf = (id: string | undefined) =>
          normal(settings.find((row) => row.user_id === id)?.private);
        assert.equal(privateOf(holders.hidden), 1, 'kept private on the account there');
        assert.equal(privateOf(holders.otherVoter), 0, 'its own choice kept');
        assert.equal(settings.length, 2);
        const ignores = await store.db.selectFrom('ignores').selectAll().execute();
        assert.deepEqual(
          ignores.map((row) => row.user_id),
          [holders.asker],
        );
        const votes = await store.db.selectFrom('question_votes').select('user_id').execute();
        assert.equal(votes.length, 4);
        assert.ok(votes.some((vote) => vote.user_id === holders.hidden));
      });
    });

    it("one site's archive holds its Q&A and people, nothing of the other site, and restores", async () => {
      const text = await exportText(source.store, source.site.id);
      const all = records(text);
      const ofType = (type: string) => all.filter((r) => r.type === type);
      assert.ok(!text.includes(built.otherSite), "the other site's rows");
      assert.deepEqual(
        ofType('qa_section')
          .map((r) => r.section)
          .sort(),
        ['politics', 'Économie <b>'],
      );
      const users = new Set(ofType('user').map((r) => r.id));
      assert.ok(!users.has(built.otherVoter), 'who voted only on the other site');
      assert.ok(ofType('profile_setting').every((r) => users.has(r.userId)));
      assert.deepEqual(
        ofType('profile_setting').map((r) => r.userId),
        [built.privateReader],
      );
      assert.equal(ofType('story_expert').length, 1);
      assert.equal(ofType('question_vote').length, 3);
      for (const vote of ofType('question_vote')) assert.ok(users.has(vote.userId));
      for (const expert of ofType('story_expert')) assert.ok(users.has(expert.userId));

      const file = path.join(dir, 'site.ndjson');
      fs.writeFileSync(file, text);
      await withFreshStore(to, async (store) => {
        const report = await restoreParleyExport(store, file);
        assert.equal(report.orphaned, 0);
        const restored = await tableContents(store);
        assert.equal(restored.story_experts?.length, 1);
        assert.equal(restored.question_votes?.length, 3);
        assert.deepEqual(
          restored.profile_settings?.map((row) => row.user_id),
          [built.privateReader],
        );
        assert.deepEqual(
          restored.sites?.map((row) => row.default_sort),
          ['best'],
        );
      });
    });

    it('restores a version 1 archive (without any of it) with the defaults', async () => {
      const added = new Set([
        'qa_section',
        'profile_setting',
        'ignore',
        'story_expert',
        'question_vote',
      ]);
      const fields: Record<string, string[]> = {
        site: ['defaultSort', 'pinNewsroom', 'rendering'],
        story: ['mode', 'qaOpen', 'section'],
        comment: ['voteCount', 'answeredAt', 'qaAnswer', 'viewCount'],
      };
      const lines: Record<string, unknown>[] = [];
      for (const record of records(archive)) {
        if (added.has(record.type as string)) continue;
        const copy = { ...record };
        for (const field of fields[record.type as string] ?? []) delete copy[field];
        if (copy.type === 'parley-export') copy.version = 1;
        if (copy.type === 'end') {
          const counts = { ...(copy.counts as Record<string, number>) };
          for (const type of added) delete counts[type];
          copy.counts = counts;
        }
        lines.push(copy);
      }
      const text = `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
      assert.ok(
        lines.every((line) =>
          ['qaOpen', 'voteCount', 'viewCount', 'defaultSort'].every((field) => !(field in line)),
        ),
      );
      const file = path.join(dir, 'version-1.ndjson');
      fs.writeFileSync(file, text);
      await withFreshStore(to, async (store) => {
        const report = await restoreParleyExport(store, file);
        assert.equal(report.archive.version, 1);
        assert.equal(report.orphaned, 0);
        const restored = await tableContents(store);
        const expected = await tableContents(source.store);
        for (const table of ['profile_settings', 'ignores', 'story_experts', 'question_votes']) {
          assert.deepEqual(restored[table], [], table);
        }
        assert.deepEqual(restored.qa_sections, []);
        assert.equal(restored.comments?.length, expected.comments?.length);
        assert.equal(restored.users?.length, expected.users?.length);
        for (const site of restored.sites ?? []) {
          assert.deepEqual(
            [site.default_sort, site.pin_newsroom, site.rendering],
            ['newest', 0, 1],
          );
        }
        for (const story of restored.stories ?? []) {
          assert.deepEqual([story.mode, story.qa_open, story.section], ['comments', 1, null]);
        }
        for (const comment of restored.comments ?? []) {
          assert.deepEqual(
            [comment.vote_count, comment.answered_at, comment.qa_answer, comment.view_count],
            [0, null, 0, 0],
          );
          assert.equal(
            comment.best_key,
            bestKey({
              respects: Number(comment.reaction_count),
              views: 0,
              createdAt: String(comment.created_at),
            }),
          );
        }
      });
    });
  });
}
