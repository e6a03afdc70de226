/**
 * The Digital Services Act through the API, on both engines (docs/dsa.md): notices of illegal
 * content (validation, hostile text kept as text, their own queue, the audit log), appeals (once
 * per decision, the author only, never reviewed by the moderator who decided, a reversal publishes
 * the comment and tells the author) and the transparency report (figures of a known set of
 * events, CSV shape and injection safety, who may read it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createTestApp,
  READER_PASSWORD,
  RELAXED_MODERATION,
  type TestApp,
} from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const HOSTILE = `<img src=x onerror=alert(1)> '); DROP TABLE reports; -- "=cmd|' /C calc'!A0"`;

const notice = (extra: Record<string, unknown> = {}) => ({
  reason: 'illegal',
  legalGround: 'Defamation (§ 186 StGB)',
  explanation: 'It states as fact that a named person committed a crime.',
  goodFaith: true,
  ...extra,
});

const day = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

for (const engine of await testEngines()) {
  describe(`DSA: notices, appeals, transparency (${engine})`, () => {
    let app: TestApp;
    let author: { token: string; id: string; email: string };
    let reader: { token: string; id: string };
    let decider: { token: string; id: string };
    let reviewer: { token: string; id: string };
    let story: string;
    before(async () => {
      app = await createTestApp(engine);
      author = await app.signup('Author');
      reader = await app.signup('Reader');
      decider = await app.signup('Decider');
      reviewer = await app.signup('Reviewer');
      for (const moderator of [decider, reviewer]) {
        await app.store.db
          .updateTable('users')
          .set({ role: 'moderator' })
          .where('id', '=', moderator.id)
          .execute();
      }
      story = await app.story();
    });
    after(async () => app.close());

    const publish = async (body: string) => {
      const posted = await app.post(story, author.token, body);
      assert.equal(posted.status, 201, posted.text);
      return posted.json.comment.id as string;
    };
    const report = (id: string, body: unknown, token = reader.token) =>
      app.request({ method: 'POST', url: `/api/v1/comments/${id}/reports`, token, body });
    const queue = async (name: string, token = reviewer.token) => {
      const response = await app.request({
        method: 'GET',
        url: `/api/v1/admin/queues/${name}`,
        token,
      });
      assert.equal(response.status, 200, response.text);
      return response.json.items as {
        comment: { id: string; illegalNotices?: unknown[]; appeal?: { id: string; text: string } };
      }[];
    };
    const reject = async (id: string) => {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/admin/comments/${id}/reject`,
        token: decider.token,
        body: { reason: 'ABUSE', note: 'Personal attack.' },
      });
      assert.equal(response.status, 200, response.text);
    };
    const appeal = (id: string, text: unknown, token = author.token) =>
      app.request({
        method: 'POST',
        url: `/api/v1/comments/${id}/appeal`,
        token,
        body: { text },
      });
    const decide = (
      appealId: string,
      token: string,
      outcome = 'reversed',
      note = 'Fair comment.',
    ) =>
      app.request({
        method: 'POST',
        url: `/api/v1/admin/appeals/${appealId}/decide`,
        token,
        body: { outcome, note },
      });

    it('refuses an illegal-content notice without its legal ground, explanation or good faith', async () => {
      const id = await publish('A comment someone finds unlawful.');
      const refused = [
        notice({ legalGround: undefined }),
        notice({ legalGround: '   ' }),
        notice({ explanation: undefined }),
        notice({ goodFaith: undefined }),
        notice({ goodFaith: false }),
        notice({ legalGround: 'x'.repeat(301) }),
        notice({ explanation: 'x'.repeat(5001) }),
        notice({ reporterEmail: 'not an address' }),
        notice({ reporterName: 'Eve\u202Eevil' }),
        notice({ legalGround: 'Two\nlines' }),
        notice({ unknown: 1 }),
        { reason: 'spam', legalGround: 'Not for spam' },
      ];
      for (const body of refused) {
        const response = await report(id, body);
        assert.equal(response.status, 400, `${JSON.stringify(body)} → ${response.text}`);
        assert.match(response.json.error.code, /^(VALIDATION_FAILED|INVALID_UNICODE)$/);
      }
      const missing = await report(id, notice({ legalGround: undefined }));
      assert.match(missing.json.error.message, /legal ground/);
      const reports = await app.store.db
        .selectFrom('reports')
        .select('id')
        .where('comment_id', '=', id)
        .execute();
      assert.equal(reports.length, 0, 'a refused notice is not stored');
    });

    it('stores a notice as text, puts the comment in the illegal queue, and logs it', async () => {
      const id = await publish('A comment with a notice against it.');
      const spammed = await publish('A comment reported as spam only.');
      assert.equal((await report(spammed, { reason: 'spam' })).status, 201);
      const sent = await report(
        id,
        notice({
          legalGround: HOSTILE.slice(0, 300),
          explanation: HOSTILE,
          reporterName: 'Ana Notifier',
          reporterEmail: 'ana@example.org',
        }),
      );
      assert.equal(sent.status, 201, sent.text);
      assert.equal((await report(id, notice())).status, 409, 'one report per reader');
      // Article 16(4): the notifier is told the notice was received, at the address they gave.
      await app.worker.drain();
      const acknowledged = await app.store.db
        .selectFrom('mail_outbox')
        .select(['to_address', 'subject', 'text_body'])
        .where('template', '=', 'notice-received')
        .execute();
      assert.equal(acknowledged.length, 1);
      assert.equal(acknowledged[0]?.to_address, 'ana@example.org');
      assert.equal(acknowledged[0]?.subject, 'We received your report of illegal content');
      assert.ok(
        acknowledged[0]?.text_body.includes('Hello Ana Notifier'),
        acknowledged[0]?.text_body,
      );

      const illegal = await queue('illegal');
      const item = illegal.find((i) => i.comment.id === id);
      assert.ok(item, 'the comment waits in the illegal queue');
      const noticesOf = (found: typeof item | undefined) =>
        (found?.comment.illegalNotices as Record<string, unknown>[]).map((n) => ({
          legalGround: n.legalGround,
          explanation: n.explanation,
          contactGiven: n.contactGiven,
          reporterName: n.reporterName,
          reporterEmail: n.reporterEmail,
          goodFaith: n.goodFaith,
        }));
      // A moderator sees that the notifier gave contact details, not the details (as for authors).
      assert.deepEqual(noticesOf(item), [
        {
          legalGround: HOSTILE.slice(0, 300),
          explanation: HOSTILE,
          contactGiven: true,
          reporterName: undefined,
          reporterEmail: undefined,
          goodFaith: true,
        },
      ]);
      const asModerator = await app.request({
        method: 'GET',
        url: `/api/v1/admin/comments/${id}`,
        token: reviewer.token,
      });
      assert.ok(!asModerator.text.includes('ana@example.org'), asModerator.text);
      assert.ok(!asModerator.text.includes('Ana Notifier'), asModerator.text);
      const adminItem = (await queue('illegal', await app.admin())).find(
        (i) => i.comment.id === id,
      );
      assert.deepEqual(noticesOf(adminItem), [
        {
          legalGround: HOSTILE.slice(0, 300),
          explanation: HOSTILE,
          contactGiven: true,
          reporterName: 'Ana Notifier',
          reporterEmail: 'ana@example.org',
          goodFaith: true,
        },
      ]);
      assert.ok(!illegal.some((i) => i.comment.id === spammed));
      const reported = await queue('reported');
      assert.ok(reported.some((i) => i.comment.id === spammed));
      assert.ok(!reported.some((i) => i.comment.id === id), 'in one queue, not both');
      const counts = await app.request({
        method: 'GET',
        url: '/api/v1/admin/queues/counts',
        token: reviewer.token,
      });
      assert.equal(counts.json.counts.illegal, 1);

      const logged = await app.store.db
        .selectFrom('moderation_actions')
        .selectAll()
        .where('comment_id', '=', id)
        .where('action', '=', 'report.illegal')
        .execute();
      assert.equal(logged.length, 1);
      assert.equal(logged[0]?.actor_id, reader.id);
      assert.equal(logged[0]?.reason, HOSTILE.slice(0, 300));

      // Deciding the notice takes the comment out of the queue.
      await reject(id);
      assert.ok(!(await queue('illegal')).some((i) => i.comment.id === id));
    });

    it('lets only the author appeal, once per decision', async () => {
      const id = await publish('A comment that will be taken down.');
      const published = await publish('A comment that stays up.');
      assert.equal((await appeal(published, 'Why?')).status, 409, 'nothing to appeal');
      assert.equal((await appeal(published, 'Why?', reader.token)).status, 403);
      await reject(id);
      const stranger = await appeal(id, 'Not mine.', reader.token);
      assert.equal(stranger.status, 404, 'a stranger cannot even see the rejected comment');
      assert.equal((await appeal(id, '')).status, 400);
      assert.equal((await appeal(id, 'x'.repeat(5001))).status, 400);
      assert.equal((await appeal(id, 'Hidden\u202Etext')).status, 400);
      const filed = await appeal(id, HOSTILE);
      assert.equal(filed.status, 201, filed.text);
      assert.equal(filed.json.appeal.text, HOSTILE);
      assert.equal(filed.json.appeal.state, 'open');
      const again = await appeal(id, 'Once more.');
      assert.equal(again.status, 409);
      assert.equal(again.json.error.code, 'ALREADY_APPEALED');

      const waiting = (await queue('appeals')).find((i) => i.comment.id === id);
      assert.equal(waiting?.comment.appeal?.text, HOSTILE);
      const logged = await app.store.db
        .selectFrom('moderation_actions')
        .select(['actor_id'])
        .where('comment_id', '=', id)
        .where('action', '=', 'appeal.file')
        .execute();
      assert.deepEqual(logged, [{ actor_id: author.id }]);
    });

    it('has another moderator decide; a reversal publishes the comment and tells the author', async () => {
      // The outcome is a statement of reasons: mailed even to an author who turned mail off.
      const off = await app.request({
        method: 'PUT',
        url: '/api/v1/notifications/settings',
        token: author.token,
        body: { email: 'off' },
      });
      assert.equal(off.status, 200, off.text);
      const id = await publish('A comment taken down by mistake.');
      await reject(id);
      const filed = await appeal(id, 'This was a quotation, not my opinion.');
      const appealId = filed.json.appeal.id as string;

      const own = await decide(appealId, decider.token);
      assert.equal(own.status, 403);
      assert.equal(own.json.error.code, 'APPEAL_OWN_DECISION');
      assert.equal((await decide(appealId, reader.token)).status, 403);
      assert.equal((await decide(appealId, reviewer.token, 'maybe')).status, 400);
      assert.equal((await decide(appealId, reviewer.token, 'reversed', '')).status, 400);
      const state = await app.store.db
        .selectFrom('comments')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(state.status, 'rejected', 'refused reviews change nothing');

      const decided = await decide(
        appealId,
        reviewer.token,
        'reversed',
        'A quotation <b>is</b> fine.',
      );
      assert.equal(decided.status, 200, decided.text);
      assert.equal(decided.json.appeal.state, 'reversed');
      assert.equal(decided.json.item.comment.status, 'approved');
      assert.equal((await decide(appealId, reviewer.token)).status, 409);
      assert.ok(!(await queue('appeals')).some((i) => i.comment.id === id));

      const page = await app.request({ method: 'GET', url: `/api/v1/stories/${story}/comments` });
      assert.ok(
        page.json.comments.some((c: { id: string }) => c.id === id),
        'published again',
      );

      const bell = await app.request({
        method: 'GET',
        url: '/api/v1/notifications',
        token: author.token,
      });
      const told = bell.json.items.find(
        (n: { kind: string; commentId: string }) => n.kind === 'appeal' && n.commentId === id,
      );
      assert.deepEqual(told?.appeal, { outcome: 'reversed', note: 'A quotation <b>is</b> fine.' });
      const mailed = await app.store.db
        .selectFrom('notifications')
        .select('email_state')
        .where('comment_id', '=', id)
        .where('kind', '=', 'appeal')
        .executeTakeFirstOrThrow();
      assert.equal(mailed.email_state, 'immediate', 'mailed, whatever the author’s settings');
      await app.worker.drain();
      const mail = await app.store.db
        .selectFrom('mail_outbox')
        .select(['subject', 'text_body'])
        .where('to_address', '=', author.email)
        .where('template', '=', 'notify-appeal')
        .execute();
      assert.equal(mail.length, 1);
      assert.equal(mail[0]?.subject, 'Your appeal was accepted: your comment is published again');
      assert.ok(mail[0]?.text_body.includes('A quotation <b>is</b> fine.'), mail[0]?.text_body);

      const logged = await app.store.db
        .selectFrom('moderation_actions')
        .select(['action', 'actor_id', 'reason'])
        .where('comment_id', '=', id)
        .where('action', 'in', ['appeal.decide', 'comment.approve'])
        .orderBy('id')
        .execute();
      assert.deepEqual(logged, [
        { action: 'comment.approve', actor_id: reviewer.id, reason: null },
        { action: 'appeal.decide', actor_id: reviewer.id, reason: 'reversed' },
      ]);
    });

    it('keeps the decision when the appeal is upheld', async () => {
      const id = await publish('A comment rightly taken down.');
      await reject(id);
      const appealId = (await appeal(id, 'Please look again.')).json.appeal.id as string;
      const admin = await app.admin();
      // A bounced address gets no statement by mail (the bell still tells).
      const bounced = (at: string | null) =>
        app.store.db
          .updateTable('users')
          .set({ mail_bounced_at: at })
          .where('id', '=', author.id)
          .execute();
      await bounced(new Date().toISOString());
      const decided = await decide(appealId, admin, 'upheld', 'It names a private person.');
      await bounced(null);
      assert.equal(decided.status, 200, decided.text);
      const mailed = await app.store.db
        .selectFrom('notifications')
        .select('email_state')
        .where('comment_id', '=', id)
        .where('kind', '=', 'appeal')
        .executeTakeFirstOrThrow();
      assert.equal(mailed.email_state, null, 'not mailed to a bounced address');
      assert.equal(decided.json.item.comment.status, 'rejected');
      const bell = await app.request({
        method: 'GET',
        url: '/api/v1/notifications',
        token: author.token,
      });
      const told = bell.json.items.find(
        (n: { kind: string; commentId: string }) => n.kind === 'appeal' && n.commentId === id,
      );
      assert.deepEqual(told?.appeal, { outcome: 'upheld', note: 'It names a private person.' });
    });

    const undo = (actionId: string, token: string) =>
      app.request({ method: 'POST', url: `/api/v1/admin/actions/${actionId}/undo`, token });
    const lastAction = async (commentId: string, action: string) =>
      (
        await app.store.db
          .selectFrom('moderation_actions')
          .select(['id', 'undoable'])
          .where('comment_id', '=', commentId)
          .where('action', '=', action)
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow()
      ).id;
    const statusOf = async (commentId: string) =>
      (
        await app.store.db
          .selectFrom('comments')
          .select('status')
          .where('id', '=', commentId)
          .executeTakeFirstOrThrow()
      ).status;
    const appealNotices = (commentId: string) =>
      app.store.db
        .selectFrom('notifications')
        .select('id')
        .where('comment_id', '=', commentId)
        .where('kind', '=', 'appeal')
        .execute();

    it('lets nobody undo what an appeal decided: the reversal, or the decision reviewed', async () => {
      const reversedId = await publish('A comment an appeal puts back.');
      await reject(reversedId);
      const reversal = await appeal(reversedId, 'Please look again.');
      const decided = await decide(reversal.json.appeal.id as string, reviewer.token);
      assert.equal(decided.status, 200, decided.text);
      const approval = await lastAction(reversedId, 'comment.approve');
      for (const token of [decider.token, reviewer.token, await app.admin()]) {
        const refused = await undo(approval, token);
        assert.equal(refused.status, 409, refused.text);
        assert.equal(refused.json.error.code, 'NOT_UNDOABLE');
      }
      assert.equal(await statusOf(reversedId), 'approved', 'still published');

      const upheldId = await publish('A comment whose appeal is upheld.');
      await reject(upheldId);
      const upheld = await appeal(upheldId, 'Really?');
      assert.equal(
        (await decide(upheld.json.appeal.id as string, reviewer.token, 'upheld', 'Yes.')).status,
        200,
      );
      const refused = await undo(await lastAction(upheldId, 'comment.reject'), decider.token);
      assert.equal(refused.status, 409, refused.text);
      assert.equal(refused.json.error.code, 'APPEAL_REVIEWED');
      assert.equal(await statusOf(upheldId), 'rejected');
    });

    it('closes an appeal as moot when the decider undoes the rejection', async () => {
      const id = await publish('A comment rejected, then put back by its decider.');
      await reject(id);
      const appealId = (await appeal(id, 'Mistake?')).json.appeal.id as string;
      assert.ok((await queue('appeals')).some((i) => i.comment.id === id));
      const undone = await undo(await lastAction(id, 'comment.reject'), decider.token);
      assert.equal(undone.status, 200, undone.text);
      assert.equal(await statusOf(id), 'approved');
      assert.ok(!(await queue('appeals')).some((i) => i.comment.id === id), 'out of the queue');
      const counts = await app.request({
        method: 'GET',
        url: '/api/v1/admin/queues/counts',
        token: reviewer.token,
      });
      assert.equal(counts.json.counts.appeals, (await queue('appeals')).length, 'counted alike');
      for (const outcome of ['upheld', 'reversed']) {
        const late = await decide(appealId, reviewer.token, outcome);
        assert.equal(late.status, 409, late.text);
        assert.equal(late.json.error.code, 'APPEAL_MOOT');
      }
      const row = await app.store.db
        .selectFrom('appeals')
        .select(['state', 'reviewer_id'])
        .where('id', '=', appealId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { state: 'moot', reviewer_id: null });
      assert.equal((await appealNotices(id)).length, 0, 'the author is told no outcome');
      // A new rejection is a new decision: it may be appealed.
      await reject(id);
      assert.equal((await appeal(id, 'Again?')).status, 201);
    });

    it('closes an appeal as moot, inside the review, when the author deleted the comment', async () => {
      const id = await publish('A comment its author deletes while appealing.');
      await reject(id);
      const appealId = (await appeal(id, 'Mistake?')).json.appeal.id as string;
      const deleted = await app.request({
        method: 'DELETE',
        url: `/api/v1/comments/${id}`,
        token: author.token,
      });
      assert.equal(deleted.status, 200, deleted.text);
      assert.ok(!(await queue('appeals')).some((i) => i.comment.id === id), 'out of the queue');
      const moot = await decide(appealId, reviewer.token, 'upheld', 'It stands.');
      assert.equal(moot.status, 409, moot.text);
      assert.equal(moot.json.error.code, 'APPEAL_MOOT');
      const state = await app.store.db
        .selectFrom('appeals')
        .select('state')
        .where('id', '=', appealId)
        .executeTakeFirstOrThrow();
      assert.equal(state.state, 'moot');
      assert.equal((await appealNotices(id)).length, 0, 'not told "upheld"');
      const logged = await app.store.db
        .selectFrom('moderation_actions')
        .select(['reason'])
        .where('comment_id', '=', id)
        .where('action', '=', 'appeal.decide')
        .execute();
      assert.deepEqual(logged, [{ reason: 'moot' }]);
    });

    it('exports a reader’s notices and appeals, and erases what their appeals said', async () => {
      const writer = await app.signup('Appellant');
      const id = (await app.post(story, writer.token, 'A comment to appeal.')).json.comment
        .id as string;
      await reject(id);
      const filed = await app.request({
        method: 'POST',
        url: `/api/v1/comments/${id}/appeal`,
        token: writer.token,
        body: { text: 'My appeal, in my own words.' },
      });
      assert.equal(filed.status, 201, filed.text);
      const target = await publish('A comment the appellant reports.');
      const sent = await report(
        target,
        notice({ reporterName: 'Appellant Name', reporterEmail: 'appellant@example.org' }),
        writer.token,
      );
      assert.equal(sent.status, 201, sent.text);

      const exported = await app.request({
        method: 'GET',
        url: '/api/v1/auth/me/export',
        token: writer.token,
      });
      assert.equal(exported.status, 200, exported.text);
      const data = JSON.parse(exported.text) as {
        reports: { reason: string; notice?: Record<string, unknown> }[];
        appeals: { commentId: string; text: string; state: string }[];
      };
      assert.deepEqual(data.reports.find((r) => r.reason === 'illegal')?.notice, {
        legalGround: 'Defamation (§ 186 StGB)',
        explanation: 'It states as fact that a named person committed a crime.',
        name: 'Appellant Name',
        email: 'appellant@example.org',
        goodFaith: true,
      });
      assert.deepEqual(
        data.appeals.map((a) => ({ commentId: a.commentId, text: a.text, state: a.state })),
        [{ commentId: id, text: 'My appeal, in my own words.', state: 'open' }],
      );

      await app.request({
        method: 'POST',
        url: '/api/v1/auth/me/deletion',
        token: writer.token,
        body: { password: READER_PASSWORD },
      });
      const past = new Date(Date.now() - 1000).toISOString();
      await app.store.db
        .updateTable('users')
        .set({ deletion_due_at: past })
        .where('id', '=', writer.id)
        .execute();
      await app.store.db
        .updateTable('jobs')
        .set({ run_at: past })
        .where('kind', '=', 'account.delete')
        .where('done_at', 'is', null)
        .execute();
      await app.worker.drain();
      const erased = await app.store.db
        .selectFrom('users')
        .select('deleted_at')
        .where('id', '=', writer.id)
        .executeTakeFirstOrThrow();
      assert.ok(erased.deleted_at, 'the account is erased');
      const appeals = await app.store.db
        .selectFrom('appeals')
        .select('text')
        .where('author_id', '=', writer.id)
        .execute();
      assert.deepEqual(appeals, [{ text: '' }]);
      const entries = await app.store.db
        .selectFrom('moderation_actions')
        .select('after')
        .where('actor_id', '=', writer.id)
        .where('action', '=', 'appeal.file')
        .execute();
      assert.equal(entries.length, 1);
      assert.ok(!String(entries[0]?.after).includes('own words'), String(entries[0]?.after));
      const left = await app.store.db
        .selectFrom('reports')
        .select('id')
        .where('reporter_email', '=', 'appellant@example.org')
        .execute();
      assert.equal(left.length, 0, 'the notice goes with the account');
    });
  });

  describe(`DSA: the transparency report (${engine})`, () => {
    let app: TestApp;
    let moderator: { token: string; id: string };
    let admin: string;
    let period: string;
    before(async () => {
      app = await createTestApp(
        engine,
        {},
        {
          moderation: {
            ...RELAXED_MODERATION,
            wordList: [
              { term: 'idiot', strength: 'banned' },
              { term: 'traitor', strength: 'suspect' },
            ],
          },
        },
      );
      admin = await app.admin();
      moderator = await app.signup('Moderator');
      await app.store.db
        .updateTable('users')
        .set({ role: 'moderator' })
        .where('id', '=', moderator.id)
        .execute();
      period = `from=${day(-1)}&to=${day(1)}`;
      const author = await app.signup('Author');
      const r1 = await app.signup('First reporter');
      const r2 = await app.signup('Second reporter');
      const story = await app.story();
      const post = async (body: string) =>
        (await app.post(story, author.token, body)).json.comment as { id: string; status: string };
      const a = await post('Comment A.');
      const b = await post('Comment B.');
      const c = await post('Comment C.');
      const held = await post('You traitor, comment D.');
      const auto = await post('You idiot, comment E.');
      assert.equal(held.status, 'pending');
      assert.equal(auto.status, 'rejected');
      const call = (url: string, token: string, body: unknown) =>
        app.request({ method: 'POST', url: `/api/v1${url}`, token, body });
      assert.equal(
        (await call(`/comments/${a.id}/reports`, r1.token, { reason: 'spam' })).status,
        201,
      );
      assert.equal((await call(`/comments/${a.id}/reports`, r2.token, notice())).status, 201);
      assert.equal(
        (await call(`/comments/${b.id}/reports`, r1.token, { reason: 'abuse' })).status,
        201,
      );
      assert.equal(
        (await call(`/comments/${c.id}/reports`, r2.token, { reason: 'abuse' })).status,
        201,
      );
      await call(`/admin/comments/${a.id}/reject`, moderator.token, { reason: 'SPAM' });
      // C: rejected, the rejection undone, then approved.
      const rejectC = await call(`/admin/comments/${c.id}/reject`, moderator.token, {
        reason: 'ABUSE',
      });
      assert.equal(
        (await call(`/admin/actions/${rejectC.json.action.id}/undo`, moderator.token, undefined))
          .status,
        200,
      );
      await call(`/admin/comments/${c.id}/approve`, moderator.token, {});
      await call(`/admin/comments/${b.id}/approve`, moderator.token, {});
      await call(`/admin/comments/${held.id}/approve`, moderator.token, {});
      const appealA = await call(`/comments/${a.id}/appeal`, author.token, { text: 'Not spam.' });
      const appealE = await call(`/comments/${auto.id}/appeal`, author.token, { text: 'Irony.' });
      // The moderator rejected A: an admin reviews that one; the pipeline decided E.
      await call(`/admin/appeals/${appealA.json.appeal.id}/decide`, admin, {
        outcome: 'upheld',
        note: 'Spam.',
      });
      const reversed = await call(
        `/admin/appeals/${appealE.json.appeal.id}/decide`,
        moderator.token,
        {
          outcome: 'reversed',
          note: 'Irony.',
        },
      );
      assert.equal(reversed.status, 200, reversed.text);
      // Account restrictions: the author suspended (once undone, then again) and banned; a
      // reader who never wrote on the site suspended (not this site's figure).
      const restrict = async (userId: string, kind: string, body: unknown) => {
        const response = await call(`/admin/users/${userId}/${kind}`, moderator.token, body);
        assert.equal(response.status, 200, response.text);
        return response.json.action.id as string;
      };
      const suspension = await restrict(author.id, 'suspend', { hours: 1 });
      assert.equal(
        (await call(`/admin/actions/${suspension}/undo`, moderator.token, undefined)).status,
        200,
      );
      await restrict(author.id, 'suspend', { hours: 2 });
      await restrict(author.id, 'ban', { reason: 'Repeated abuse.' });
      await restrict(r1.id, 'suspend', { hours: 1 });

      // Known times: reports at t0 (and t0 + 100 s), decisions 1000 s, 4000 s and 600 s later.
      const t0 = Date.now() - 3_600_000;
      const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
      const db = app.store.db;
      await db
        .updateTable('reports')
        .set({ created_at: at(0) })
        .where('comment_id', '=', b.id)
        .execute();
      await db
        .updateTable('reports')
        .set({ created_at: at(0) })
        .where('reason', '=', 'spam')
        .execute();
      await db
        .updateTable('reports')
        .set({ created_at: at(100) })
        .where('reason', '=', 'illegal')
        .execute();
      const setAction = (commentId: string, action: string, seconds: number) =>
        db
          .updateTable('moderation_actions')
          .set({ created_at: at(seconds) })
          .where('comment_id', '=', commentId)
          .where('action', '=', action)
          .execute();
      await setAction(a.id, 'comment.reject', 1000);
      await setAction(b.id, 'comment.approve', 4000);
      await setAction(held.id, 'pipeline.hold', 0);
      await setAction(held.id, 'comment.approve', 600);
      await db
        .updateTable('reports')
        .set({ created_at: at(0) })
        .where('comment_id', '=', c.id)
        .execute();
      // The undone rejection came 200 s after the report: only the approval counts, 5000 s.
      await setAction(c.id, 'comment.reject', 200);
      await setAction(c.id, 'comment.approve', 5000);
    });
    after(async () => app.close());

    const get = (query: string, token: string | null = moderator.token) =>
      app.request({
        method: 'GET',
        url: `/api/v1/admin/sites/${app.site.id}/transparency?${query}`,
        ...(token !== null && { token }),
      });

    it('counts reports, decisions and appeals, and the median times to decide', async () => {
      const response = await get(period);
      assert.equal(response.status, 200, response.text);
      const report = response.json;
      assert.deepEqual(report.period, { from: day(-1), to: day(1) });
      assert.deepEqual(report.reports, {
        total: 4,
        byReason: { spam: 1, illegal: 1, abuse: 2 },
      });
      // The pipeline: A, B and C published, D held, E rejected. People: A rejected; B, C and D
      // approved, E approved by the reversal. C's rejection was undone: it is not counted.
      assert.equal(report.decisions.automated, 5);
      assert.equal(report.decisions.human, 5);
      assert.equal(report.decisions.total, 10);
      assert.deepEqual(report.decisions.byAction, {
        'comment.approve': 4,
        'comment.reject': 1,
        'pipeline.approve': 3,
        'pipeline.hold': 1,
        'pipeline.reject': 1,
      });
      assert.equal(report.decisions.byReason.SPAM, 1);
      assert.equal(report.decisions.byReason.ABUSE, undefined, 'the undone rejection');
      assert.equal(report.decisions.byReason['none (published)'], 7);
      const byReason = Object.values(report.decisions.byReason as Record<string, number>);
      assert.equal(
        byReason.reduce((a, b) => a + b, 0),
        10,
        'every decision has one reason',
      );
      assert.deepEqual(report.appeals, { total: 2, open: 0, upheld: 1, reversed: 1, moot: 0 });
      // One suspension undone, one standing, one ban; the other reader never wrote here.
      assert.deepEqual(report.restrictions, { total: 2, suspensions: 1, bans: 1 });
      // Report waits 1000 s (spam), 900 s (illegal, 100 s later), 4000 s (B) and 5000 s (C, its
      // undone rejection at 200 s not counted): median (1000 + 4000) / 2 = 2500 s.
      assert.deepEqual(report.medianSeconds, { reportToDecision: 2500, heldToDecision: 600 });
      assert.deepEqual(report.undecided, { reports: 0, held: 0 });

      const before = await get(`from=${day(-30)}&to=${day(-2)}`);
      assert.equal(before.json.reports.total, 0, 'another period counts none of it');
      assert.equal(before.json.medianSeconds.reportToDecision, null);
    });

    it('serves CSV that a spreadsheet cannot run', async () => {
      await app.store.db
        .updateTable('sites')
        .set({ name: '=HYPERLINK("http://evil.example","x")' })
        .where('id', '=', app.site.id)
        .execute();
      await app.sites.refresh();
      const response = await get(`${period}&format=csv`);
      assert.equal(response.status, 200, response.text);
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(
        String(response.headers['content-disposition']),
        /^attachment; filename="transparency-[0-9A-Z]+-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = response.text.split('\r\n');
      assert.equal(lines[0], 'section,item,value');
      assert.equal(lines.at(-1), '', 'ends with a line break');
      assert.ok(lines.includes('reports by reason,illegal,1'));
      assert.ok(lines.includes('decisions,automated,5'));
      assert.ok(lines.includes('account restrictions,suspensions,1'));
      assert.ok(lines.includes('median seconds,report to decision,2500'));
      assert.ok(lines.includes('appeals,reversed,1'));
      assert.ok(lines.includes(`site,name,"'=HYPERLINK(""http://evil.example"",""x"")"`));
      for (const line of lines.slice(1, -1)) {
        for (const cell of line.split(',')) assert.doesNotMatch(cell, /^"?[=+\-@]/, line);
      }
    });

    it('is for admins and the site’s moderators, for a valid period', async () => {
      const reader = await app.signup('Curious reader');
      assert.equal((await get(period, null)).status, 401);
      assert.equal((await get(period, reader.token)).status, 403);
      assert.equal((await get(period, admin)).status, 200);
      const elsewhere = await app.signup('Moderator elsewhere');
      await app.store.db
        .updateTable('users')
        .set({
          role: 'moderator',
          moderator_site_ids: JSON.stringify(['01J00000000000000000000000']),
        })
        .where('id', '=', elsewhere.id)
        .execute();
      assert.equal((await get(period, elsewhere.token)).status, 404);
      for (const query of [
        'from=2026-02-30&to=2026-03-02',
        'from=2026-03-02&to=2026-03-01',
        'from=2020-01-01&to=2026-01-01',
        'from=yesterday&to=today',
        'from=2026-01-01',
        `${period}&format=xml`,
        `${period}&extra=1`,
      ]) {
        const response = await get(query);
        assert.equal(response.status, 400, `${query} → ${response.text}`);
        assert.equal(response.json.error.code, 'VALIDATION_FAILED');
      }
    });
  });
}
