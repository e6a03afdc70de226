/**
 * The Digital Services Act through the API, on both engines (docs/dsa.md): notices of illegal
 * content (validation, hostile text kept as text, their own queue, the audit log), appeals (once
 * per decision, the author only, never reviewed by the moderator who decided, a reversal publishes
 * the comment and tells the author) and the transparency report (figures of a known set of
 * events, CSV shape and injection safety, who may read it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, RELAXED_MODERATION, type TestApp } from '../helpers/app.ts';
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

      const illegal = await queue('illegal');
      const item = illegal.find((i) => i.comment.id === id);
      assert.ok(item, 'the comment waits in the illegal queue');
      assert.deepEqual(
        (item.comment.illegalNotices as Record<string, unknown>[]).map((n) => ({
          legalGround: n.legalGround,
          explanation: n.explanation,
          reporterName: n.reporterName,
          reporterEmail: n.reporterEmail,
          goodFaith: n.goodFaith,
        })),
        [
          {
            legalGround: HOSTILE.slice(0, 300),
            explanation: HOSTILE,
            reporterName: 'Ana Notifier',
            reporterEmail: 'ana@example.org',
            goodFaith: true,
          },
        ],
      );
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
      await app.request({
        method: 'PUT',
        url: '/api/v1/notifications/settings',
        token: author.token,
        body: { email: 'immediate' },
      });
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
      assert.equal(mailed.email_state, 'immediate', 'mailed, as the author opted in');
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
      const decided = await decide(appealId, admin, 'upheld', 'It names a private person.');
      assert.equal(decided.status, 200, decided.text);
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
      await call(`/admin/comments/${a.id}/reject`, moderator.token, { reason: 'SPAM' });
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
        total: 3,
        byReason: { spam: 1, illegal: 1, abuse: 1 },
      });
      assert.equal(report.decisions.automated, 2);
      assert.equal(report.decisions.human, 4);
      assert.equal(report.decisions.total, 6);
      assert.deepEqual(report.decisions.byAction, {
        'comment.approve': 3,
        'comment.reject': 1,
        'pipeline.hold': 1,
        'pipeline.reject': 1,
      });
      assert.equal(report.decisions.byReason.SPAM, 1);
      assert.equal(report.decisions.byReason['none (published)'], 3);
      const byReason = Object.values(report.decisions.byReason as Record<string, number>);
      assert.equal(
        byReason.reduce((a, b) => a + b, 0),
        6,
        'every decision has one reason',
      );
      assert.deepEqual(report.appeals, { total: 2, open: 0, upheld: 1, reversed: 1 });
      // Report waits 1000 s (spam), 900 s (illegal, 100 s later) and 4000 s: median 1000 s.
      assert.deepEqual(report.medianSeconds, { reportToDecision: 1000, heldToDecision: 600 });
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
      assert.ok(lines.includes('decisions,automated,2'));
      assert.ok(lines.includes('median seconds,report to decision,1000'));
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
