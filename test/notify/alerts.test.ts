/**
 * Moderators' alerts end to end, on both engines, with real receivers: a local HTTP server acting
 * as Slack's (and Teams' and Discord's) incoming webhooks, and the SMTP peer. A held comment
 * handed to the consumer (as the dispatcher does; once through the dispatcher itself) reaches the
 * moderators of its site who asked for it, with the comment, why it was held and a link to approve
 * it in the dashboard, and nobody else: not a moderator of another site, not one who lost the
 * role; a redelivered event and a comment dealt with before the job runs send nothing. Reports
 * alert on a run's first open report and once past a threshold; digests carry the counts and the
 * first five; busy stories alert once an hour. A failing receiver is retried, and its URL never
 * lands in the job's error.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { enqueueJob } from '../../src/jobs/queue.ts';
import {
  ALERT_DIGEST_JOB,
  ALERT_SEND_JOB,
  ALERT_SPIKE_JOB,
  alertConsumer,
  planDigests,
  planSpikes,
  scheduleAlerts,
} from '../../src/notify/alerts.ts';
import type { CommentEvent } from '../../src/notify/events.ts';
import { getComment } from '../../src/store/comments.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import {
  startChatReceiver,
  type ChatReceiver,
  type ReceivedPost,
} from '../helpers/chat-receiver.ts';
import { testEngines } from '../helpers/engines.ts';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp.ts';

const OTHER_ORIGIN = 'https://other.example';
const BUSY_ORIGIN = 'https://busy.example';
const MINUTE = 60_000;

interface Person {
  id: string;
  token: string;
  email: string;
}

/** Every text a Slack message shows, joined (header, sections, contexts, buttons). */
function slackTexts(post: ReceivedPost): string {
  const parts: string[] = [post.json.text];
  for (const block of post.json.blocks as Record<string, unknown>[]) {
    const text = block.text as { text?: string } | undefined;
    if (text?.text) parts.push(text.text);
    for (const element of (block.elements as Record<string, unknown>[] | undefined) ?? []) {
      if (typeof element.text === 'string') parts.push(element.text);
      else if (element.text) parts.push((element.text as { text: string }).text);
    }
  }
  return parts.join('\n');
}
const slackButtons = (post: ReceivedPost): string[] =>
  (post.json.blocks as { type: string; elements?: { url?: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e) => e.url ?? ''));

for (const engine of await testEngines()) {
  describe(`moderators' alerts (${engine})`, () => {
    let app: TestApp;
    let smtp: SmtpPeer;
    let chat: ChatReceiver;
    let other: Site;
    let reader: Person;
    let heldStory: string;
    let openStory: string;
    let otherStory: string;
    let n = 0;

    const db = () => app.store.db;
    async function person(
      name: string,
      role: 'commenter' | 'moderator' | 'admin',
      sites?: string[],
    ) {
      const user = await app.signup(name);
      if (role !== 'commenter') {
        await db()
          .updateTable('users')
          .set({ role, moderator_site_ids: sites ? JSON.stringify(sites) : null })
          .where('id', '=', user.id)
          .execute();
      }
      return user as Person;
    }
    async function setAlerts(who: Person, siteId: string, body: Record<string, unknown>) {
      const response = await app.request({
        method: 'PUT',
        url: `/api/v1/admin/sites/${siteId}/alerts`,
        token: who.token,
        body,
      });
      assert.equal(response.status, 200, response.text);
      return response.json.alerts;
    }
    async function post(story: string, body: string, origin?: string, token = reader.token) {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${story}/comments`,
        token,
        body: { body },
        ...(origin && { origin }),
      });
      assert.equal(response.status, 201, response.text);
      return response.json.comment as { id: string; status: string };
    }
    /** Hands a comment's creation to the consumer, as the dispatcher would. */
    async function created(commentId: string) {
      const comment = await getComment(db(), commentId);
      assert.ok(comment);
      const event: CommentEvent = {
        change: 'created',
        siteId: comment.siteId,
        storyId: comment.storyId,
        seq: ++n,
        at: new Date().toISOString(),
        commentId,
        comment,
        previous: null,
      };
      await db()
        .transaction()
        .execute((trx) => alertConsumer(trx, event, []));
    }
    async function report(commentId: string, by?: Person) {
      const who = by ?? (await person(`Reporter ${++n}`, 'commenter'));
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/comments/${commentId}/reports`,
        token: who.token,
        body: { reason: 'abuse' },
      });
      assert.equal(response.status, 201, response.text);
    }
    const alertJobs = () =>
      db().selectFrom('jobs').selectAll().where('kind', '=', ALERT_SEND_JOB).execute();
    const hook = (name: string) => `${chat.origin}/services/${name}/secret-${name}-tail`;
    const path = (name: string) => `/services/${name}/secret-${name}-tail`;

    before(async () => {
      smtp = await startSmtpPeer();
      chat = await startChatReceiver();
      app = await createTestApp(engine, {
        PARLEY_WEBHOOK_ALLOW_PRIVATE: '1',
        SMTP_URL: smtp.url,
        PARLEY_WRITE_RATE_LIMIT: '100000',
        PARLEY_AUTH_RATE_LIMIT: '100000',
      });
      other = await insertSite(db(), {
        name: 'Other News',
        allowedOrigins: [OTHER_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        moderation: { premoderateAll: true, repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
      });
      await app.sites.refresh();
      reader = await person('Rana', 'commenter');
      // A name no sign-up would take, written directly: it must reach chat as text.
      await db()
        .updateTable('users')
        .set({ display_name: 'Rana <b>&</b> @channel' })
        .where('id', '=', reader.id)
        .execute();
      heldStory = await app.story('alerts-held');
      openStory = await app.story('alerts-open');
      await db()
        .updateTable('stories')
        .set({ premoderated: 1, title: 'Budget talks' })
        .where('id', '=', heldStory)
        .execute();
      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin: OTHER_ORIGIN,
        body: { url: `${OTHER_ORIGIN}/news/elsewhere`, storyId: 'elsewhere' },
      });
      assert.equal(resolved.status, 200, resolved.text);
      otherStory = resolved.json.story.id;
    });
    after(async () => {
      await app.close();
      await chat.close();
      await smtp.close();
    });
    beforeEach(async () => {
      // Each test starts from nobody alerted and no alert queued.
      await db().deleteFrom('moderator_alerts').execute();
      await db().deleteFrom('jobs').execute();
      chat.posts.length = 0;
      chat.answer(200);
    });

    it('tells the site’s moderators of a held comment on Slack, with the comment and links', async () => {
      const mine = await person('Mina', 'moderator', [app.site.id]);
      const theirs = await person('Theo', 'moderator', [other.id]);
      const admin = await person('Ada', 'admin');
      const demoted = await person('Dan', 'moderator', [app.site.id]);
      for (const [who, name] of [
        [mine, 'mine'],
        [admin, 'admin'],
        [demoted, 'demoted'],
      ] as const) {
        await setAlerts(who, app.site.id, {
          pending: 'immediate',
          byEmail: false,
          chatUrl: hook(name),
        });
      }
      await setAlerts(theirs, other.id, {
        pending: 'immediate',
        byEmail: false,
        chatUrl: hook('theirs'),
      });
      await db()
        .updateTable('users')
        .set({ role: 'commenter' })
        .where('id', '=', demoted.id)
        .execute();

      const held = await post(
        heldStory,
        'Is this *really* <script>alert(1)</script> & fine? @here',
      );
      assert.equal(held.status, 'pending');
      await created(held.id);
      assert.equal(
        (await alertJobs()).length,
        2,
        'one job per moderator who still covers the site',
      );
      await app.worker.drain();

      assert.equal(chat.to(path('theirs')).length, 0, 'a moderator of another site hears nothing');
      assert.equal(
        chat.to(path('demoted')).length,
        0,
        'a moderator who lost the role hears nothing',
      );
      for (const name of ['mine', 'admin']) {
        const posts = chat.to(path(name));
        assert.equal(posts.length, 1, name);
        const message = posts[0] as ReceivedPost;
        assert.equal(message.headers['content-type'], 'application/json');
        const blocks = message.json.blocks as { type: string; text?: { text: string } }[];
        assert.equal(blocks[0]?.type, 'header');
        assert.equal(blocks[0]?.text?.text, 'Comment held for review on Test News');
        const text = slackTexts(message);
        // The author and the excerpt, escaped for mrkdwn; the broadcast mention defused.
        assert.ok(text.includes('*Rana &lt;b&gt;&amp;&lt;/b&gt; @\u2060channel*'), text);
        assert.ok(
          text.includes(
            'Is this really &lt;script&gt;alert(1)&lt;/script&gt; &amp; fine? @\u2060here',
          ),
          text,
        );
        assert.ok(!text.includes('<script>'));
        // Why it was held.
        assert.match(text, /Held: .*(pre-moderated|reviewed first)/i);
        // The article, and the button to approve or reject it in the dashboard.
        assert.ok(
          text.includes(
            `<https://news.example/news/alerts-held#parley-comment-${held.id}|Budget talks>`,
          ),
          text,
        );
        assert.deepEqual(slackButtons(message), [
          `http://parley.test/admin/queues/pending?site=${app.site.id}&comment=${held.id}`,
        ]);
      }

      // The same event again (a redelivery) queues nothing new.
      await created(held.id);
      await app.worker.drain();
      assert.equal(chat.posts.length, 2);
    });

    it('reaches Teams and Discord in their formats, and through the dispatcher itself', async () => {
      const teams = await person('Tea', 'moderator', [app.site.id]);
      const discord = await person('Dis', 'moderator', [app.site.id]);
      await setAlerts(teams, app.site.id, {
        pending: 'immediate',
        byEmail: false,
        chatUrl: hook('teams'),
        chatFormat: 'teams',
      });
      await setAlerts(discord, app.site.id, {
        pending: 'immediate',
        byEmail: false,
        chatUrl: hook('discord'),
        chatFormat: 'discord',
      });
      // Whatever earlier posts left undispatched is handed over first (and announces nothing now).
      await app.dispatcher.drain();
      await db().deleteFrom('jobs').execute();
      const held = await post(heldStory, 'Ping @everyone [click](https://evil.example) **now**');
      await app.dispatcher.drain();
      await app.worker.drain();

      const [card] = chat.to(path('teams'));
      assert.ok(card);
      assert.equal(card.json.type, 'message');
      const attachment = card.json.attachments[0];
      assert.equal(attachment.contentType, 'application/vnd.microsoft.card.adaptive');
      assert.equal(attachment.content.type, 'AdaptiveCard');
      const cardText = JSON.stringify(attachment.content);
      assert.ok(cardText.includes('Ping @everyone click now'), 'the excerpt, as plain text');
      assert.ok(cardText.includes(`comment=${held.id}`));
      const runs = JSON.stringify(attachment.content.body);
      assert.ok(runs.includes('"type":"TextRun","text":"Ping @everyone click now"'), runs);

      const [embed] = chat.to(path('discord'));
      assert.ok(embed);
      assert.deepEqual(embed.json.allowed_mentions, { parse: [] });
      const description = embed.json.embeds[1].description as string;
      assert.ok(description.includes('Ping \\@everyone click now'), description);
      assert.ok(
        description.includes(
          `[Approve / reject in the dashboard](http://parley.test/admin/queues/pending?site=${app.site.id}&comment=${held.id})`,
        ),
        description,
      );
    });

    it('mails the alert through SMTP when the moderator chose email', async () => {
      const mod = await person('Mali', 'moderator', [app.site.id]);
      await setAlerts(mod, app.site.id, { pending: 'immediate', byEmail: true });
      const held = await post(heldStory, 'A comment for the mail alert');
      await created(held.id);
      await app.worker.drain();
      const message = await smtp.waitForMessage((m) => m.envelope.to.includes(mod.email));
      assert.match(message.subject, /Test News/);
      assert.ok(message.text.includes('A comment for the mail alert'), message.text);
      assert.ok(
        message.text.includes(
          `http://parley.test/admin/queues/pending?site=${app.site.id}&comment=${held.id}`,
        ),
        message.text,
      );
      assert.equal(chat.posts.length, 0);
    });

    it('says nothing of a comment dealt with before the alert went out', async () => {
      const mod = await person('Quick', 'moderator', [app.site.id]);
      await setAlerts(mod, app.site.id, {
        pending: 'immediate',
        byEmail: false,
        chatUrl: hook('quick'),
      });
      const held = await post(heldStory, 'Approved at once');
      await created(held.id);
      const admin = await app.admin();
      const approval = await app.request({
        method: 'POST',
        url: `/api/v1/admin/comments/${held.id}/approve`,
        token: admin,
      });
      assert.equal(approval.status, 200, approval.text);
      await app.worker.drain();
      assert.equal(chat.posts.length, 0);
      const [job] = await alertJobs();
      assert.ok(job?.done_at, 'the job is done, not failing');
    });

    it('alerts on the first open report, and once past the threshold', async () => {
      const eager = await person('Eager', 'moderator', [app.site.id]);
      const patient = await person('Patient', 'moderator', [app.site.id]);
      await setAlerts(eager, app.site.id, {
        reported: 'immediate',
        byEmail: false,
        chatUrl: hook('eager'),
      });
      await setAlerts(patient, app.site.id, {
        reportThreshold: 2,
        byEmail: false,
        chatUrl: hook('patient'),
      });
      const target = await post(openStory, 'A published comment readers dislike');
      assert.equal(target.status, 'approved');

      await report(target.id);
      await app.worker.drain();
      const first = chat.to(path('eager'))[0] as ReceivedPost;
      assert.ok(first, 'the first report alerts');
      assert.equal(first.json.blocks[0].text.text, 'Comment reported on Test News');
      assert.ok(slackTexts(first).includes('1 open report (abuse 1)'), slackTexts(first));
      await report(target.id);
      await app.worker.drain();
      assert.equal(chat.to(path('eager')).length, 1, 'the second report does not alert again');
      assert.equal(chat.to(path('patient')).length, 0, 'two reports do not pass a threshold of 2');
      assert.deepEqual(slackButtons(first), [
        `http://parley.test/admin/queues/reported?site=${app.site.id}&comment=${target.id}`,
      ]);

      await report(target.id);
      await app.worker.drain();
      await report(target.id);
      await app.worker.drain();
      assert.equal(chat.to(path('eager')).length, 1);
      const passed = chat.to(path('patient'));
      assert.equal(
        passed.length,
        1,
        'the third report passes the threshold, the fourth adds nothing',
      );
      assert.equal(passed[0]?.json.blocks[0].text.text, 'Comment reported 3 times on Test News');

      // A moderator deals with the reports: the next one starts a new run, and alerts again.
      const admin = await app.admin();
      const approval = await app.request({
        method: 'POST',
        url: `/api/v1/admin/comments/${target.id}/approve`,
        token: admin,
      });
      assert.equal(approval.status, 200, approval.text);
      await report(target.id);
      await app.worker.drain();
      assert.equal(chat.to(path('eager')).length, 2);
    });

    it('sends digests with the counts and the first five, when due and not before', async () => {
      const digest = await person('Digest', 'moderator', [app.site.id]);
      const theirs = await person('Theirs', 'moderator', [other.id]);
      await setAlerts(digest, app.site.id, {
        pending: 'digest',
        digestMinutes: 10,
        byEmail: false,
        chatUrl: hook('digest'),
      });
      await setAlerts(theirs, other.id, {
        pending: 'digest',
        digestMinutes: 10,
        byEmail: false,
        chatUrl: hook('theirs'),
      });
      // The last digest went out just now (earlier tests' held comments are before it).
      const start = new Date();
      await db()
        .updateTable('moderator_alerts')
        .set({ digest_sent_at: start.toISOString() })
        .execute();

      const ids: string[] = [];
      for (let i = 1; i <= 7; i++)
        ids.push((await post(heldStory, `Held for the digest number ${i}`)).id);
      assert.equal(await planDigests(app.store, new Date()), 0, 'not due before 10 minutes');
      const now = new Date(start.getTime() + 10 * MINUTE);
      assert.equal(await planDigests(app.store, now), 1, 'the other site’s queue got nothing new');
      await app.worker.drain();
      const [message] = chat.to(path('digest'));
      assert.ok(message);
      assert.equal(chat.to(path('theirs')).length, 0);
      assert.equal(message.json.blocks[0].text.text, '7 new comments for review on Test News');
      const text = slackTexts(message);
      // Held before the window (earlier tests): counted as waiting, not as new.
      const waiting = Number(/Pending: 7 new, (\d+) waiting/.exec(text)?.[1]);
      assert.ok(waiting > 7, text);
      for (const id of ids.slice(0, 5)) assert.ok(text.includes(`#parley-comment-${id}`), id);
      for (const id of ids.slice(5)) assert.ok(!text.includes(`#parley-comment-${id}`), id);
      assert.ok(text.includes('…and 2 more in the dashboard.'));
      const row = await db()
        .selectFrom('moderator_alerts')
        .select('digest_sent_at')
        .where('user_id', '=', digest.id)
        .executeTakeFirstOrThrow();
      assert.equal(new Date(row.digest_sent_at as string).toISOString(), now.toISOString());

      // From a digest sent now: not due yet; then due with nothing new; then due with one more.
      const sent = new Date();
      await db()
        .updateTable('moderator_alerts')
        .set({ digest_sent_at: sent.toISOString() })
        .where('user_id', '=', digest.id)
        .execute();
      assert.equal(await planDigests(app.store, new Date(sent.getTime() + 5 * MINUTE)), 0);
      assert.equal(await planDigests(app.store, new Date(sent.getTime() + 11 * MINUTE)), 0);
      const late = await post(heldStory, 'Held after the digest');
      assert.equal(await planDigests(app.store, new Date(sent.getTime() + 12 * MINUTE)), 1);
      await app.worker.drain();
      const second = chat.to(path('digest'))[1] as ReceivedPost;
      assert.equal(second.json.blocks[0].text.text, '1 new comment for review on Test News');
      assert.ok(slackTexts(second).includes(`#parley-comment-${late.id}`));
      assert.equal(chat.posts.length, 2);
    });

    it('plans the digest and spike checks once per period across processes, and runs them', async () => {
      const at = new Date();
      await scheduleAlerts(app.store, at);
      await scheduleAlerts(app.store, at);
      const planned = await db()
        .selectFrom('jobs')
        .select(['id', 'kind'])
        .where('kind', 'in', [ALERT_DIGEST_JOB, ALERT_SPIKE_JOB])
        .execute();
      assert.equal(planned.length, 2, planned.map((j) => j.id).join(', '));
      await app.worker.drain();
      const next = await db()
        .selectFrom('jobs')
        .select(['id', 'kind', 'run_at'])
        .where('done_at', 'is', null)
        .where('kind', 'in', [ALERT_DIGEST_JOB, ALERT_SPIKE_JOB])
        .execute();
      assert.deepEqual(next.map((j) => j.kind).sort(), [ALERT_DIGEST_JOB, ALERT_SPIKE_JOB]);
      for (const job of next) assert.ok(new Date(job.run_at as string).getTime() > at.getTime());
    });

    it('tells of a busy story once an hour, and only its own site’s moderators', async () => {
      // A site of its own: the other tests' comments make every story of the test site busy.
      const busySite = await insertSite(db(), {
        name: 'Busy News',
        allowedOrigins: [BUSY_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        moderation: { repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
      });
      await app.sites.refresh();
      const watcher = await person('Watcher', 'moderator', [busySite.id]);
      const theirs = await person('Elsewhere', 'moderator', [other.id]);
      await setAlerts(watcher, busySite.id, {
        spikePerHour: 5,
        byEmail: false,
        chatUrl: hook('watcher'),
      });
      await setAlerts(theirs, other.id, {
        spikePerHour: 1,
        byEmail: false,
        chatUrl: hook('theirs'),
      });
      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin: BUSY_ORIGIN,
        body: { url: `${BUSY_ORIGIN}/news/busy`, storyId: 'busy', title: 'A busy story' },
      });
      assert.equal(resolved.status, 200, resolved.text);
      const busy = resolved.json.story.id as string;
      for (let i = 0; i < 4; i++) await post(busy, `Busy comment ${i}`, BUSY_ORIGIN);
      assert.equal(await planSpikes(app.store), 0, 'four comments are not five');
      const last = await post(busy, 'The fifth comment', BUSY_ORIGIN);
      assert.equal(await planSpikes(app.store), 1);
      assert.equal(await planSpikes(app.store), 0, 'not twice within the hour');
      await app.worker.drain();
      assert.equal(chat.to(path('theirs')).length, 0, 'the other site is quiet');
      const [message] = chat.to(path('watcher'));
      assert.ok(message);
      assert.equal(message.json.blocks[0].text.text, 'Busy story on Busy News');
      const text = slackTexts(message);
      assert.ok(text.includes('5 comments in the last hour on “A busy story”'), text);
      assert.ok(text.includes(`<${BUSY_ORIGIN}/news/busy|A busy story>`), text);
      assert.ok(text.includes(`#parley-comment-${last.id}`), 'the latest comments are shown');
      assert.deepEqual(
        slackButtons(message).at(-1),
        `http://parley.test/admin/stories?site=${busySite.id}`,
      );

      // An hour later (the alert's job made long ago), a still busy story is told again.
      await db()
        .updateTable('jobs')
        .set({ created_at: new Date(Date.now() - 2 * 60 * MINUTE).toISOString() })
        .where('kind', '=', ALERT_SEND_JOB)
        .execute();
      assert.equal(await planSpikes(app.store), 1);
      // The other site's moderator hears of their own site's stories.
      await post(otherStory, 'A comment on the other site', OTHER_ORIGIN);
      assert.equal(await planSpikes(app.store), 1);
      await app.worker.drain();
      assert.equal(chat.to(path('theirs')).length, 1);
      assert.equal(chat.to(path('watcher')).length, 2);
    });

    it('retries a failing receiver without writing its URL into the job', async () => {
      const mod = await person('Retry', 'moderator', [app.site.id]);
      await setAlerts(mod, app.site.id, {
        pending: 'immediate',
        byEmail: false,
        chatUrl: hook('failing'),
      });
      chat.answer(503, 'try later');
      const held = await post(heldStory, 'While the receiver is down');
      await created(held.id);
      await app.worker.drain();
      const [job] = await alertJobs();
      assert.ok(job);
      assert.equal(job.done_at, null, 'to be tried again');
      assert.match(job.last_error ?? '', /answered 503/);
      assert.ok(!(job.last_error ?? '').includes('secret-failing'), job.last_error ?? '');
      assert.ok(
        !job.payload.includes('secret-failing'),
        'the payload names the moderator, not the URL',
      );

      chat.answer(200);
      await db()
        .updateTable('jobs')
        .set({ run_at: new Date().toISOString() })
        .where('id', '=', job.id)
        .execute();
      await app.worker.drain();
      assert.equal(chat.to(path('failing')).length, 2);

      // A receiver that refuses for good (404) is not retried.
      chat.answer(404, 'no_service');
      await enqueueJob(db(), ALERT_SEND_JOB, {
        kind: 'pending',
        userId: mod.id,
        siteId: app.site.id,
        channel: 'chat',
        commentId: (await post(heldStory, 'Another held one')).id,
      });
      await app.worker.drain();
      const refused = (await alertJobs()).filter((j) => j.id !== job.id);
      assert.ok(refused.every((j) => j.done_at !== null));
    });
  });
}
