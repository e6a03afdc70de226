/**
 * Q&A experts as their accounts are now (docs/qa.md), on both engines: a journalist demoted or
 * banned after being named loses the listing, the badge, the closed Q&A and "now answering", and
 * gets them back when made staff again; erasure forgets their namings and votes; the reader's
 * export carries their votes; the questions route says who its answer is for (Vary,
 * Cache-Control).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`Q&A experts and accounts (${engine})`, () => {
    let app: TestApp;
    let admin: string;

    const call = (method: string, url: string, token: string, body?: unknown) =>
      app.request({ method, url: `/api/v1${url}`, token, ...(body !== undefined && { body }) });
    const questions = (storyId: string, query = '', token?: string) =>
      app.request({
        method: 'GET',
        url: `/api/v1/stories/${storyId}/questions${query}`,
        ...(token && { token }),
      });
    const setRole = async (userId: string, role: string) => {
      const changed = await call('PUT', `/admin/users/${userId}/role`, admin, { role });
      assert.equal(changed.status, 200, changed.text);
    };
    const expertsOf = async (storyId: string) => {
      const read = await app.request({ method: 'GET', url: `/api/v1/stories/${storyId}` });
      assert.equal(read.status, 200, read.text);
      return read.json.story.qa.experts.map((e: { id: string }) => e.id) as string[];
    };
    const answering = (storyId: string, token: string, questionId: string) =>
      call('POST', `/stories/${storyId}/qa/answering`, token, { questionId });
    /** A Q&A story with one named expert (made staff through the admin API) and a question. */
    const qaStory = async (name: string) => {
      const expert = await app.signup(`${name} Expert`);
      const asker = await app.signup(`${name} Asker`);
      await setRole(expert.id, 'staff');
      const storyId = await app.story(`qa-roles-${name.toLowerCase()}`);
      const switched = await call('PUT', `/admin/stories/${storyId}/qa`, admin, {
        enabled: true,
        experts: [expert.id],
      });
      assert.equal(switched.status, 200, switched.text);
      const asked = await app.post(storyId, asker.token, `A question for ${name}?`);
      assert.equal(asked.status, 201, asked.text);
      return { expert, asker, storyId, questionId: asked.json.comment.id as string };
    };

    before(async () => {
      // No thread cache: each read shows the accounts as they are (a cached page lags by its TTL).
      app = await createTestApp(engine, {
        PARLEY_WRITE_RATE_LIMIT: '100000',
        PARLEY_THREAD_CACHE_TTL_MS: '0',
      });
      admin = await app.admin();
    });
    after(async () => app.close());

    it('a demoted expert is no longer listed, badged, let in after closing, or announced; made staff again, they are', async () => {
      const { expert, asker, storyId, questionId } = await qaStory('Demoted');
      const answer = await app.post(storyId, expert.token, 'Here is the answer.', questionId);
      assert.equal(answer.status, 201, answer.text);
      await app.dispatcher.drain();
      const answered = async () => {
        const page = await questions(storyId, '?tab=answered');
        assert.equal(page.status, 200, page.text);
        assert.equal(page.json.questions.length, 1);
        return page.json.questions[0].answers[0];
      };
      assert.equal((await answered()).author.expert, true);
      assert.deepEqual(await expertsOf(storyId), [expert.id]);
      const second = await app.post(storyId, asker.token, 'And a second question?');
      const secondId = second.json.comment.id as string;
      await call('PUT', `/admin/stories/${storyId}/qa`, admin, { enabled: true, open: false });

      await setRole(expert.id, 'commenter');
      assert.deepEqual(await expertsOf(storyId), [], 'no longer listed');
      const past = await answered();
      assert.equal(past.id, answer.json.comment.id, 'the past answer stays an answer');
      assert.equal(past.author.expert, undefined, 'but without the badge');
      const late = await app.post(storyId, expert.token, 'Answered after closing.', secondId);
      assert.equal(late.status, 409, late.text);
      assert.equal(late.json.error.code, 'QA_CLOSED');
      const announced = await answering(storyId, expert.token, secondId);
      assert.equal(announced.status, 403, announced.text);
      assert.equal(announced.json.error.code, 'NOT_AN_EXPERT');
      // Open again: their reply is a reader's reply, not an answer.
      await call('PUT', `/admin/stories/${storyId}/qa`, admin, { enabled: true, open: true });
      const reply = await app.post(storyId, expert.token, 'A reader’s thought.', secondId);
      assert.equal(reply.status, 201, reply.text);
      await app.dispatcher.drain();
      const unanswered = await questions(storyId);
      assert.deepEqual(
        unanswered.json.questions.map((q: { id: string }) => q.id),
        [secondId],
        'the reply did not answer the question',
      );
      const marked = await app.store.db
        .selectFrom('comments')
        .select('qa_answer')
        .where('id', '=', reply.json.comment.id)
        .executeTakeFirstOrThrow();
      assert.equal(Boolean(marked.qa_answer), false);

      // The naming was kept: staff again, they are listed and badged again.
      await setRole(expert.id, 'staff');
      assert.deepEqual(await expertsOf(storyId), [expert.id]);
      assert.equal((await answered()).author.expert, true);
      assert.equal((await answering(storyId, expert.token, secondId)).status, 204);
    });

    it('a banned expert loses the same, and cannot be named', async () => {
      const { expert, storyId, questionId } = await qaStory('Banned');
      const answer = await app.post(storyId, expert.token, 'Before the ban.', questionId);
      assert.equal(answer.status, 201, answer.text);
      await app.dispatcher.drain();
      assert.equal((await answering(storyId, expert.token, questionId)).status, 204);

      const banned = await call('POST', `/admin/users/${expert.id}/ban`, admin, {
        siteIds: [app.site.id],
      });
      assert.equal(banned.status, 200, banned.text);
      assert.deepEqual(await expertsOf(storyId), []);
      const page = await questions(storyId, '?tab=answered');
      assert.equal(page.json.questions[0].answers[0].author.expert, undefined);
      const refused = await answering(storyId, expert.token, questionId);
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.json.error.code, 'NOT_AN_EXPERT');
      const named = await call('PUT', `/admin/stories/${storyId}/qa`, admin, {
        enabled: true,
        experts: [expert.id],
      });
      assert.equal(named.status, 400, named.text);
      assert.equal(named.json.error.code, 'VALIDATION_FAILED');
    });

    it('erasing an expert forgets their namings and their votes', async () => {
      const { expert, storyId, questionId } = await qaStory('Erased');
      const voted = await call('PUT', `/comments/${questionId}/vote`, expert.token);
      assert.deepEqual(voted.json, { votes: 1, voted: true });
      const sub = `erased-expert-${expert.id}`;
      await app.store.db
        .insertInto('user_identities')
        .values({
          provider: `sso:${app.site.id}`,
          subject: sub,
          user_id: expert.id,
          created_at: new Date().toISOString(),
        })
        .execute();
      const erased = await call(
        'POST',
        `/admin/sites/${app.site.id}/sso-users/${sub}/deletion`,
        admin,
        {
          immediate: true,
        },
      );
      assert.equal(erased.status, 200, erased.text);
      const namings = await app.store.db
        .selectFrom('story_experts')
        .select('story_id')
        .where('user_id', '=', expert.id)
        .execute();
      assert.deepEqual(namings, [], 'story_experts rows are gone');
      const votes = await app.store.db
        .selectFrom('question_votes')
        .select('comment_id')
        .where('user_id', '=', expert.id)
        .execute();
      assert.deepEqual(votes, [], 'question_votes rows are gone');
      const page = await questions(storyId);
      assert.equal(page.json.questions[0].votes, 0, 'the count went down');
      assert.deepEqual(await expertsOf(storyId), []);
    });

    it('the reader’s export lists their votes for questions, and only theirs', async () => {
      const { asker, storyId, questionId } = await qaStory('Export');
      const voter = await app.signup('Export Voter');
      const other = await app.signup('Export Other');
      for (const who of [voter, other]) {
        const voted = await call('PUT', `/comments/${questionId}/vote`, who.token);
        assert.equal(voted.status, 200, voted.text);
      }
      const exported = await call('GET', '/auth/me/export', voter.token);
      assert.equal(exported.status, 200, exported.text);
      const votes = exported.json.questionVotes as {
        commentId: string;
        storyId: string;
        createdAt: string;
      }[];
      assert.equal(votes.length, 1);
      assert.equal(votes[0]?.commentId, questionId);
      assert.equal(votes[0]?.storyId, storyId);
      assert.ok(Date.parse(votes[0]?.createdAt ?? '') > Date.now() - 600_000);
      assert.ok(!exported.text.includes('A question for Export'), 'not the question’s text');
      const askers = await call('GET', '/auth/me/export', asker.token);
      assert.deepEqual(askers.json.questionVotes, [], 'nobody else’s votes');
    });

    it('the questions route varies by Authorization; a signed-in answer is private', async () => {
      const { asker, storyId } = await qaStory('Headers');
      const anonymous = await questions(storyId);
      assert.equal(anonymous.status, 200, anonymous.text);
      assert.match(String(anonymous.headers.vary), /authorization/i);
      assert.equal(anonymous.headers['cache-control'], 'no-cache');
      const signedIn = await questions(storyId, '', asker.token);
      assert.equal(signedIn.status, 200, signedIn.text);
      assert.match(String(signedIn.headers.vary), /authorization/i);
      assert.equal(signedIn.headers['cache-control'], 'private, no-cache');
      assert.equal(signedIn.headers.etag, undefined, 'no shared ETag on a reader’s own answer');
    });
  });
}
