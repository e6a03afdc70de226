/**
 * Q&A with the newsroom (docs/qa.md), on both engines: the switch and its authorisation, questions
 * and answers through the ordinary comment path, the tabs' order, votes (idempotent, not one's own,
 * not on a closed Q&A), the asker's notification, a site's Q&A sections, hostile input and bad ids,
 * and the live events over a real SSE stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';
import { startLive, type LiveApp, type SseReader } from '../live/helpers.ts';

const HOSTILE = `<img src=x onerror=alert(1)> '); DROP TABLE question_votes; -- Évil \u00e9`;

for (const engine of await testEngines()) {
  describe(`Q&A (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let asker: { token: string; id: string };
    let other: { token: string; id: string };
    let reader: { token: string; id: string };
    let expert: { token: string; id: string };
    let foreignModerator: { token: string; id: string };
    let story: string;

    const setRole = (id: string, role: string, sites: string[] | null = null) =>
      app.store.db
        .updateTable('users')
        .set({
          role: role as 'staff',
          moderator_site_ids: sites === null ? null : JSON.stringify(sites),
        })
        .where('id', '=', id)
        .execute();
    const qa = (storyId: string, body: unknown, token = admin) =>
      app.request({ method: 'PUT', url: `/api/v1/admin/stories/${storyId}/qa`, token, body });
    const questions = (storyId: string, query = '', token?: string) =>
      app.request({
        method: 'GET',
        url: `/api/v1/stories/${storyId}/questions${query}`,
        ...(token && { token }),
      });
    const vote = (id: string, token: string, on = true) =>
      app.request({ method: on ? 'PUT' : 'DELETE', url: `/api/v1/comments/${id}/vote`, token });
    const ask = async (token: string, body: string) => {
      const posted = await app.post(story, token, body);
      assert.equal(posted.status, 201, posted.text);
      return posted.json.comment.id as string;
    };

    before(async () => {
      app = await createTestApp(engine, {
        PARLEY_WRITE_RATE_LIMIT: '100000',
        PARLEY_THREAD_CACHE_TTL_MS: '60000',
      });
      admin = await app.admin();
      asker = await app.signup('Asker');
      other = await app.signup('Other Asker');
      reader = await app.signup('Reader');
      expert = await app.signup('Dana Expert');
      foreignModerator = await app.signup('Elsewhere Moderator');
      await setRole(expert.id, 'staff');
      await setRole(foreignModerator.id, 'moderator', ['01J0000000000000000000000Z']);
      story = await app.story('qa-story');
    });
    after(async () => app.close());

    it('starts as comments; a moderator of another site, a reader and staff may not switch it', async () => {
      const plain = await app.request({ method: 'GET', url: `/api/v1/stories/${story}` });
      assert.equal(plain.json.story.mode, 'comments');
      assert.equal(plain.json.story.qa, undefined);
      assert.equal((await questions(story)).json.error.code, 'NOT_A_QA_STORY');
      assert.equal((await qa(story, { enabled: true }, '')).status, 401);
      assert.equal((await qa(story, { enabled: true }, reader.token)).status, 403);
      assert.equal((await qa(story, { enabled: true }, expert.token)).status, 403);
      const foreign = await qa(story, { enabled: true }, foreignModerator.token);
      assert.equal(foreign.status, 404);
      assert.equal(foreign.json.error.code, 'STORY_NOT_FOUND');
      const still = await app.request({ method: 'GET', url: `/api/v1/stories/${story}` });
      assert.equal(still.json.story.mode, 'comments');
    });

    it('refuses bad bodies, bad ids and readers as experts', async () => {
      for (const body of [
        {},
        { enabled: 'yes' },
        { enabled: true, experts: ['not an id'] },
        { enabled: true, experts: [reader.id] },
        { enabled: true, experts: [{ id: expert.id, title: 'x'.repeat(101) }] },
        { enabled: true, extra: 1 },
        { enabled: true, experts: Array.from({ length: 21 }, () => expert.id) },
      ]) {
        const response = await qa(story, body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.ok(response.json.error.code);
      }
      assert.equal((await qa('01J00000000000000000000000', { enabled: true })).status, 404);
      assert.equal((await qa('x', { enabled: true })).status, 400);
    });

    it('an admin switches the story to Q&A with an expert, audited', async () => {
      const response = await qa(story, {
        enabled: true,
        experts: [{ id: expert.id, title: 'Climate reporter' }],
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.json.story.mode, 'qa');
      assert.deepEqual(response.json.story.qa, {
        open: true,
        experts: [
          { id: expert.id, displayName: 'Dana Expert', avatarUrl: null, title: 'Climate reporter' },
        ],
      });
      const audit = await app.request({
        method: 'GET',
        url: '/api/v1/admin/audit?limit=20',
        token: admin,
      });
      const actions = (audit.json.entries ?? audit.json.items ?? []).map(
        (e: { action: string }) => e.action,
      );
      assert.ok(actions.includes('story.qa'), JSON.stringify(actions));
      assert.ok(actions.includes('story.experts'));
      // The dashboard's list of stories shows the Q&A with its experts.
      const listed = await app.request({
        method: 'GET',
        url: `/api/v1/admin/stories?siteId=${app.site.id}`,
        token: admin,
      });
      const row = listed.json.stories.find((s: { id: string }) => s.id === story);
      assert.equal(row.mode, 'qa');
      assert.deepEqual(
        row.qa.experts.map((e: { id: string }) => e.id),
        [expert.id],
      );
    });

    it('takes questions, orders the unanswered tab by votes then newest, and votes idempotently', async () => {
      const first = await ask(asker.token, 'When will the new rates apply?');
      const second = await ask(other.token, 'Who decided this?');
      const third = await ask(other.token, HOSTILE);
      // Votes: first 2, third 1, second 0.
      for (const [id, token] of [
        [first, reader.token],
        [first, other.token],
        [third, reader.token],
      ] as const) {
        const response = await vote(id, token);
        assert.equal(response.status, 200, response.text);
        assert.equal(response.json.voted, true);
      }
      const again = await vote(first, reader.token);
      assert.deepEqual(again.json, { votes: 2, voted: true }, 'voting twice counts once');
      const own = await vote(first, asker.token);
      assert.equal(own.status, 403);
      assert.equal(own.json.error.code, 'OWN_QUESTION_VOTE');
      assert.equal((await vote(first, '')).status, 401);
      assert.equal((await vote('01J00000000000000000000000', reader.token)).status, 404);
      assert.equal((await vote('nope', reader.token)).status, 400);

      const page = await questions(story);
      assert.equal(page.status, 200, page.text);
      assert.deepEqual(
        page.json.questions.map((q: { id: string }) => q.id),
        [first, third, second],
      );
      assert.deepEqual(
        page.json.questions.map((q: { votes: number }) => q.votes),
        [2, 1, 0],
      );
      const hostile = page.json.questions[1];
      assert.ok(!hostile.html.includes('<img'), 'hostile text is escaped');
      assert.equal(hostile.viewer.voted, false, 'anonymous readers have no marks');

      const mine = await questions(story, '', reader.token);
      assert.deepEqual(
        mine.json.questions.map((q: { viewer: { voted: boolean } }) => q.viewer.voted),
        [true, true, false],
      );
      // Pages: one at a time, the cursor carries on in order.
      const one = await questions(story, '?limit=1');
      assert.equal(one.json.questions[0].id, first);
      const two = await questions(story, `?limit=1&cursor=${one.json.nextCursor}`);
      assert.equal(two.json.questions[0].id, third);
      for (const bad of ['?cursor=garbage', '?tab=answered&cursor=' + one.json.nextCursor]) {
        const refused = await questions(story, bad);
        assert.equal(refused.status, 400, bad);
        assert.equal(refused.json.error.code, 'INVALID_CURSOR');
      }
      assert.equal((await questions(story, '?tab=everything')).status, 400);
      assert.equal((await questions(story, '?limit=1000')).status, 400);
      assert.equal((await questions(story, `?cursor=${'x'.repeat(5000)}`)).status, 400);
      assert.equal((await questions(story, "?tab=unanswered' OR 1=1 --")).status, 400);
      assert.equal((await questions('01J00000000000000000000000')).status, 404);

      const back = await vote(first, reader.token, false);
      assert.deepEqual(back.json, { votes: 1, voted: false });
      const twice = await vote(first, reader.token, false);
      assert.deepEqual(twice.json, { votes: 1, voted: false });
    });

    it('an expert answers; the question moves to the answered tab and its asker is told', async () => {
      const page = await questions(story);
      const question = page.json.questions.find(
        (q: { author: { id: string } }) => q.author.id === asker.id,
      );
      assert.ok(question);
      // A reader's reply to a question is not an answer.
      const followUp = await app.post(story, other.token, 'Me too.', question.id);
      assert.equal(followUp.status, 201);
      const answer = await app.post(story, expert.token, 'From 1 March.', question.id);
      assert.equal(answer.status, 201, answer.text);
      await app.dispatcher.drain();

      const answered = await questions(story, '?tab=answered');
      assert.equal(answered.status, 200);
      assert.deepEqual(
        answered.json.questions.map((q: { id: string }) => q.id),
        [question.id],
      );
      const answers = answered.json.questions[0].answers;
      assert.equal(answers.length, 1, 'only the expert’s reply is an answer');
      assert.equal(answers[0].id, answer.json.comment.id);
      assert.equal(answers[0].author.expert, true);
      const unanswered = await questions(story);
      assert.ok(!unanswered.json.questions.some((q: { id: string }) => q.id === question.id));

      const bell = await app.request({
        method: 'GET',
        url: '/api/v1/notifications',
        token: asker.token,
      });
      assert.equal(bell.status, 200, bell.text);
      const kinds = bell.json.items.map((n: { kind: string }) => n.kind);
      assert.ok(kinds.includes('answer'), JSON.stringify(kinds));
    });

    it('answering: experts only; readers get 403, other stories 404', async () => {
      const page = await questions(story);
      const questionId = page.json.questions[0].id as string;
      const post = (token: string, body: unknown, storyId = story) =>
        app.request({
          method: 'POST',
          url: `/api/v1/stories/${storyId}/qa/answering`,
          token,
          body,
        });
      assert.equal((await post(expert.token, { questionId })).status, 204);
      assert.equal((await post(admin, { questionId })).status, 204);
      const refused = await post(reader.token, { questionId });
      assert.equal(refused.status, 403);
      assert.equal(refused.json.error.code, 'NOT_AN_EXPERT');
      assert.equal((await post(expert.token, { questionId: 'x' })).status, 400);
      assert.equal(
        (await post(expert.token, { questionId: '01J00000000000000000000000' })).status,
        404,
      );
      const plain = await app.story('plain-story');
      assert.equal((await post(expert.token, { questionId }, plain)).status, 409);
    });

    it('a closed Q&A stays readable but takes no questions or votes; experts still answer', async () => {
      const open = await questions(story);
      const questionId = open.json.questions[0].id as string;
      const closed = await qa(story, { enabled: true, open: false });
      assert.equal(closed.json.story.qa.open, false);
      assert.equal(closed.json.story.qa.experts.length, 1, 'experts are kept');
      const refused = await app.post(story, reader.token, 'A late question');
      assert.equal(refused.status, 409);
      assert.equal(refused.json.error.code, 'QA_CLOSED');
      const late = await vote(questionId, reader.token);
      assert.equal(late.status, 409);
      assert.equal(late.json.error.code, 'QA_CLOSED');
      const replyRefused = await app.post(story, reader.token, 'Follow-up', questionId);
      assert.equal(replyRefused.status, 409);
      const answer = await app.post(story, expert.token, 'Answered after closing.', questionId);
      assert.equal(answer.status, 201, answer.text);
      const still = await questions(story);
      assert.equal(still.status, 200);
      assert.ok(still.json.questions.length > 0);
      await qa(story, { enabled: true, open: true });
    });

    it('votes only on questions of a Q&A', async () => {
      const plain = await app.story('plain-votes');
      const posted = await app.post(plain, asker.token, 'An ordinary comment');
      const refused = await vote(posted.json.comment.id, reader.token);
      assert.equal(refused.status, 400);
      assert.equal(refused.json.error.code, 'NOT_A_QUESTION');
      const page = await questions(story, '?tab=answered');
      const answerId = page.json.questions[0].answers[0].id;
      assert.equal((await vote(answerId, reader.token)).json.error.code, 'NOT_A_QUESTION');
    });

    it('moderators see held questions and unanswered ones in their queues', async () => {
      const held = await app.story('qa-held');
      await qa(held, { enabled: true });
      const patched = await app.request({
        method: 'PATCH',
        url: `/api/v1/admin/stories/${held}`,
        token: admin,
        body: { premoderated: true },
      });
      assert.equal(patched.status, 200, patched.text);
      const posted = await app.post(held, asker.token, 'A question held for review');
      assert.equal(posted.json.comment.status, 'pending');
      const queue = async (name: string, token = admin) => {
        const response = await app.request({
          method: 'GET',
          url: `/api/v1/admin/queues/${name}?storyId=${held}`,
          token,
        });
        assert.equal(response.status, 200, response.text);
        return response.json.items.map((i: { comment: { id: string } }) => i.comment.id);
      };
      assert.deepEqual(await queue('questions'), [posted.json.comment.id]);
      assert.deepEqual(await queue('unanswered'), []);
      const approved = await app.request({
        method: 'POST',
        url: `/api/v1/admin/comments/${posted.json.comment.id}/approve`,
        token: admin,
      });
      assert.equal(approved.status, 200, approved.text);
      assert.deepEqual(await queue('questions'), []);
      assert.deepEqual(await queue('unanswered'), [posted.json.comment.id]);
      // An answer (held too, then approved) takes it out of the unanswered queue.
      const answer = await app.post(
        held,
        expert.token,
        'Here is the answer.',
        posted.json.comment.id,
      );
      assert.equal(answer.status, 201, answer.text);
      if (answer.json.comment.status === 'pending') {
        await app.request({
          method: 'POST',
          url: `/api/v1/admin/comments/${answer.json.comment.id}/approve`,
          token: admin,
        });
      }
      await app.dispatcher.drain();
      assert.deepEqual(await queue('unanswered'), []);
      const counts = await app.request({
        method: 'GET',
        url: `/api/v1/admin/queues/counts?storyId=${held}`,
        token: admin,
      });
      assert.equal(counts.json.counts.questions, 0);
      assert.equal(counts.json.counts.unanswered, 0);
      // An ordinary story's held comments are not questions.
      const plain = await app.story('plain-held');
      await app.request({
        method: 'PATCH',
        url: `/api/v1/admin/stories/${plain}`,
        token: admin,
        body: { premoderated: true },
      });
      await app.post(plain, asker.token, 'Held, but not a question');
      const plainQueue = await app.request({
        method: 'GET',
        url: `/api/v1/admin/queues/questions?storyId=${plain}`,
        token: admin,
      });
      assert.deepEqual(plainQueue.json.items, []);
    });

    it('a site’s Q&A sections: admins only; a new story in one starts as Q&A', async () => {
      const url = `/api/v1/admin/sites/${app.site.id}/qa-defaults`;
      const put = (token: string, body: unknown) =>
        app.request({ method: 'PUT', url, token, body });
      assert.equal((await put(expert.token, { sections: ['Politics'] })).status, 403);
      assert.equal((await put(foreignModerator.token, { sections: ['Politics'] })).status, 403);
      assert.equal((await put(admin, { sections: [''] })).status, 400);
      assert.equal((await put(admin, { sections: 'Politics' })).status, 400);
      const set = await put(admin, { sections: ['Politics', ' Politics ', HOSTILE.slice(0, 60)] });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.json.sections.length, 2);
      const got = await app.request({ method: 'GET', url, token: admin });
      assert.deepEqual(got.json.sections, set.json.sections);
      const resolve = (id: string, section?: string) =>
        app.request({
          method: 'POST',
          url: '/api/v1/stories/resolve',
          body: {
            url: `https://news.example/news/${id}`,
            storyId: id,
            ...(section !== undefined && { section }),
          },
        });
      const inSection = await resolve('politics-1', 'Politics');
      assert.equal(inSection.json.story.mode, 'qa');
      const elsewhere = await resolve('sport-1', 'Sport');
      assert.equal(elsewhere.json.story.mode, 'comments');
      assert.equal((await resolve('bad-section', 'x'.repeat(101))).status, 400);
    });

    it('erasing a reader takes their votes away', async () => {
      const voter = await app.signup('Voter');
      const sub = `voter-${voter.id}`;
      await app.store.db
        .insertInto('user_identities')
        .values({
          provider: `sso:${app.site.id}`,
          subject: sub,
          user_id: voter.id,
          created_at: new Date().toISOString(),
        })
        .execute();
      const page = await questions(story);
      const target = page.json.questions[0];
      const voted = await vote(target.id, voter.token);
      assert.equal(voted.json.votes, target.votes + 1);
      const erase = await app.request({
        method: 'POST',
        url: `/api/v1/admin/sites/${app.site.id}/sso-users/${sub}/deletion`,
        token: admin,
        body: { immediate: true },
      });
      assert.equal(erase.status, 200, erase.text);
      const left = await app.store.db
        .selectFrom('question_votes')
        .select('comment_id')
        .where('user_id', '=', voter.id)
        .execute();
      assert.equal(left.length, 0);
      const after = await questions(story);
      const again = after.json.questions.find((q: { id: string }) => q.id === target.id);
      assert.equal(again.votes, target.votes, 'the count went back down');
    });
  });

  describe(`Q&A live events over SSE (${engine})`, () => {
    let database: TestDatabase;
    let live: LiveApp;
    const open: SseReader[] = [];
    before(async () => {
      database = await createTestDatabase(engine);
      live = await startLive(database, { live: { idleReleaseMs: 0 } });
    });
    after(async () => {
      for (const reader of open) reader.close();
      await live.close();
      await database.drop();
    });

    it('streams qa.votes, qa.answering (without an id) and qa.answered', async () => {
      const admin = await live.admin();
      const storyId = await live.story('qa-live');
      const asker = await live.signup('Live Asker');
      const voter = await live.signup('Live Voter');
      const expert = await live.signup('Live Expert');
      await live.parley.store.db
        .updateTable('users')
        .set({ role: 'staff' })
        .where('id', '=', expert.id)
        .execute();
      await live.call('PUT', `/admin/stories/${storyId}/qa`, admin, {
        enabled: true,
        experts: [expert.id],
      });
      const stream = await live.stream(`/stories/${storyId}/events`);
      open.push(stream);
      await stream.waitFor((e) => e.event === 'ready');
      const question = await live.call('POST', `/stories/${storyId}/comments`, asker.token, {
        body: 'What happens next?',
      });
      const questionId = question.comment.id as string;
      await live.call('PUT', `/comments/${questionId}/vote`, voter.token);
      const votes = await stream.waitFor((e) => e.event === 'qa.votes');
      assert.deepEqual(votes.data, { questionId, votes: 1 });

      await live.call('POST', `/stories/${storyId}/qa/answering`, expert.token, { questionId });
      const answering = await stream.waitFor((e) => e.event === 'qa.answering');
      assert.deepEqual(answering.data, {
        questionId,
        expert: { id: expert.id, displayName: 'Live Expert' },
      });
      assert.equal(answering.id, undefined, 'transient: no event id');

      const answer = await live.call('POST', `/stories/${storyId}/comments`, expert.token, {
        body: 'Next week.',
        parentId: questionId,
      });
      await live.parley.dispatcher.drain();
      const answered = await stream.waitFor((e) => e.event === 'qa.answered');
      assert.equal(answered.data.questionId, questionId);
      assert.equal(answered.data.answer.id, answer.comment.id);
      assert.equal(answered.data.answer.author.expert, true);
      assert.equal(answered.data.answer.body, undefined, 'readers do not get the source');
      assert.ok(answered.id !== undefined, 'qa.answered is numbered (replayed)');
    });
  });
}
