/**
 * Readers' immediate notification mail through a real SMTP peer, on both engines: a reply reaches
 * the reader in their language under the publisher's brand (its sender name in From), with both
 * one-click unsubscribe headers, a text and an HTML part, the permalink, and the comment's text
 * made harmless (markup and a bidi override); the one-click POST, exactly as a mail client sends
 * it, turns that kind of mail off (the settings read back say so, and the next reply sends
 * nothing), while a GET only asks and a forged link is refused; a notification no longer true or
 * no longer wanted is skipped; a job run twice sends once; a hard bounce (550 to RCPT) marks the
 * reader, is not retried and stops notification mail but not a confirmation mail, and confirming
 * the address again lets notifications through.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/domain/ids.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { queueMail } from '../../src/mail/outbox.ts';
import { NOTIFY_EMAIL_JOB, permalink } from '../../src/notify/mail.ts';
import { unsubscribeKey, unsubscribeUrl } from '../../src/notify/unsubscribe.ts';
import {
  getNotificationSettings,
  updateNotificationSettings,
} from '../../src/store/notifications.ts';
import type { EmailMode, NotificationKind } from '../../src/store/schema.ts';
import { markEmailVerified, setConfirmedEmail } from '../../src/store/users.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import { startSmtpPeer, type ReceivedMessage, type SmtpPeer } from '../helpers/smtp.ts';

const ENV = {
  MAIL_FROM: 'Parley <no-reply@comments.example>',
  PARLEY_WRITE_RATE_LIMIT: '10000',
  PARLEY_AUTH_RATE_LIMIT: '1000',
};

for (const engine of await testEngines()) {
  describe(`notification mail (${engine})`, () => {
    let peer: SmtpPeer;
    let app: TestApp;
    let storyId: string;
    let storyUrl: string;
    let writer: { token: string; id: string };
    let n = 0;

    before(async () => {
      peer = await startSmtpPeer();
      app = await createTestApp(engine, { ...ENV, SMTP_URL: peer.url });
      const admin = await app.admin();
      const branding = await app.request({
        method: 'PUT',
        url: `/api/v1/admin/sites/${app.site.id}/branding`,
        token: admin,
        body: {
          senderName: 'Test News Comments',
          logoUrl: 'https://news.example/logo.png',
          accentColor: '#b5121b',
        },
      });
      assert.equal(branding.status, 200, branding.text);
      storyId = await app.story('mail-story');
      storyUrl = `${SITE_ORIGIN}/news/mail-story`;
      writer = await app.signup('Amal Haddad');
    });
    after(async () => {
      await app.close();
      await peer.close();
    });

    const db = () => app.store.db;
    async function reader(name: string, email: EmailMode = 'immediate', locale?: string) {
      const user = await app.signup(name);
      if (locale) {
        await db().updateTable('users').set({ locale }).where('id', '=', user.id).execute();
      }
      await updateNotificationSettings(db(), user.id, { email });
      return user;
    }
    async function comment(body: string, token = writer.token): Promise<string> {
      const posted = await app.post(storyId, token, body);
      assert.equal(posted.status, 201, posted.text);
      return posted.json.comment.id as string;
    }
    /** What the dispatcher does for a reader whose mail is immediate: the row and its job. */
    async function notify(userId: string, commentId: string, kind: NotificationKind = 'reply') {
      const id = newId();
      await db()
        .transaction()
        .execute(async (trx) => {
          await trx
            .insertInto('notifications')
            .values({
              id,
              user_id: userId,
              site_id: app.site.id,
              story_id: storyId,
              comment_id: commentId,
              kind,
              created_at: new Date().toISOString(),
              email_state: 'immediate',
            })
            .execute();
          await enqueueJob(trx, NOTIFY_EMAIL_JOB, { notificationId: id }, { maxAttempts: 6 });
        });
      return id;
    }
    const stateOf = async (notificationId: string) =>
      (
        await db()
          .selectFrom('notifications')
          .select('email_state')
          .where('id', '=', notificationId)
          .executeTakeFirstOrThrow()
      ).email_state;
    const received = (to: string) => peer.messages.filter((m) => m.envelope.to.includes(to));
    /** Lets any mail still on its way arrive, so that "nothing came" means something. */
    const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

    let firstMail: ReceivedMessage;
    let rana: { token: string; id: string; email: string };
    let hostileReply: string;

    it('sends a reply at once: brand, headers, both parts, permalink, harmless text', async () => {
      rana = await reader('Rana');
      const parent = await comment('My view of it.', rana.token);
      const posted = await app.post(storyId, writer.token, 'Careful here.', parent);
      assert.equal(posted.status, 201, posted.text);
      hostileReply = posted.json.comment.id;
      // The stored HTML as an old import might have left it: markup as text, a bidi override.
      await db()
        .updateTable('comments')
        .set({
          html: '<p>Careful &lt;script&gt;alert(1)&lt;/script&gt; <a href="https://x.example">this</a> \u202Etxt.exe\u202C here.</p>',
        })
        .where('id', '=', hostileReply)
        .execute();
      const id = await notify(rana.id, hostileReply);
      await app.worker.drain();

      firstMail = await peer.waitForMessage((m) => m.envelope.to.includes(rana.email));
      assert.equal(firstMail.subject, 'Amal Haddad replied to your comment');
      assert.equal(firstMail.envelope.from, 'no-reply@comments.example');
      assert.match(
        firstMail.headers.get('from') ?? '',
        /^"?Test News Comments"? <no-reply@comments\.example>$/,
      );
      const unsubscribe = firstMail.headers.get('list-unsubscribe') ?? '';
      assert.match(
        unsubscribe,
        /^<http:\/\/parley\.test\/unsubscribe\?user=[0-9A-Z]{26}&kind=reply&token=[\w-]{43}>$/,
      );
      assert.equal(firstMail.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      assert.ok(firstMail.text.length > 0 && firstMail.html.length > 0, 'text and HTML parts');

      const link = permalink(storyUrl, hostileReply);
      assert.equal(link, `${storyUrl}#parley-comment-${hostileReply}`);
      assert.ok(firstMail.text.includes(`\n${link}\n`), firstMail.text);
      assert.ok(firstMail.html.includes(`href="${link}"`));
      // The unsubscribe link in the body is the one in the header.
      assert.ok(firstMail.text.includes(`\n${unsubscribe.slice(1, -1)}\n`));

      assert.ok(!firstMail.html.includes('<script'), 'no markup from the comment');
      assert.ok(firstMail.html.includes('Careful &lt;script&gt;alert(1)&lt;/script&gt; this'));
      assert.ok(firstMail.text.includes('> Careful <script>alert(1)</script> this txt.exe here.'));
      assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(firstMail.text + firstMail.html));
      assert.ok(!firstMail.html.includes('https://x.example'), 'the comment’s link is not a link');
      assert.ok(
        firstMail.html.includes('<img src="https://news.example/logo.png" alt="Test News"'),
      );
      assert.ok(firstMail.html.includes('bgcolor="#b5121b"'));
      assert.ok(firstMail.text.includes('The Test News team'));

      assert.equal(await stateOf(id), 'sent');
      const outbox = await db()
        .selectFrom('mail_outbox')
        .select(['template', 'from_name', 'unsubscribe_url', 'state', 'user_id'])
        .where('to_address', '=', rana.email)
        .executeTakeFirstOrThrow();
      assert.deepEqual(outbox, {
        template: 'notify-reply',
        from_name: 'Test News Comments',
        unsubscribe_url: unsubscribe.slice(1, -1),
        state: 'sent',
        user_id: rana.id,
      });
    });

    it('sends once when the job runs twice', async () => {
      const before = received(rana.email).length;
      const id = await notify(rana.id, await comment('A second reply.'));
      await enqueueJob(db(), NOTIFY_EMAIL_JOB, { notificationId: id });
      await app.worker.drain();
      await settle();
      assert.equal(received(rana.email).length, before + 1);
    });

    it('asks on GET, unsubscribes on the one-click POST, refuses a forged link', async () => {
      const url = new URL((firstMail.headers.get('list-unsubscribe') ?? '').slice(1, -1));
      const path = `${url.pathname}${url.search}`;

      // A mail scanner following the link changes nothing.
      const page = await app.request({
        method: 'GET',
        url: path,
        origin: null,
        headers: { accept: 'text/html,application/xhtml+xml', 'accept-language': 'fr' },
      });
      assert.equal(page.status, 200, page.text);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(page.headers['cache-control'], 'no-store');
      assert.ok(page.text.includes('<form method="post" action="/unsubscribe?'), page.text);
      assert.ok(page.text.includes('name="List-Unsubscribe" value="One-Click"'));
      assert.ok(page.text.includes('<script') === false);
      assert.equal((await getNotificationSettings(db(), rana.id)).kinds.reply, true);

      // RFC 8058: the mail provider POSTs the form body to the header's address, no Origin.
      const oneClick = await app.request({
        method: 'POST',
        url: path,
        origin: null,
        raw: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(oneClick.status, 200, oneClick.text);
      assert.deepEqual(oneClick.json, { unsubscribed: true, kind: 'reply' });
      const settings = await getNotificationSettings(db(), rana.id);
      assert.equal(settings.kinds.reply, false);
      assert.equal(settings.email, 'immediate', 'only that kind is off');
      assert.equal(settings.kinds.mention, true);

      // Twice is fine.
      const again = await app.request({
        method: 'POST',
        url: path,
        origin: null,
        raw: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(again.status, 200, again.text);

      const token = url.searchParams.get('token') ?? '';
      const forged = (changes: Record<string, string>) => {
        const copy = new URL(url);
        for (const [key, value] of Object.entries(changes)) copy.searchParams.set(key, value);
        return `${copy.pathname}${copy.search}`;
      };
      const other = await reader('Other reader');
      // The first character: the last of a base64url digest carries padding bits, and changing one
      // of those (A to B) decodes to the same bytes.
      const flipped = `${token.startsWith('A') ? 'B' : 'A'}${token.slice(1)}`;
      for (const bad of [
        forged({ token: flipped }),
        forged({ user: other.id }),
        forged({ kind: 'digest' }),
        forged({ token: 'x' }),
        forged({ kind: 'everything' }),
        '/unsubscribe',
      ]) {
        const refused = await app.request({
          method: 'POST',
          url: bad,
          origin: null,
          raw: 'List-Unsubscribe=One-Click',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(refused.status, 400, `${bad}: ${refused.text}`);
        assert.equal(refused.json?.error?.code, 'INVALID_TOKEN', bad);
      }
      assert.deepEqual(
        (await getNotificationSettings(db(), other.id)).kinds,
        { reply: true, staff: true, mention: true, moderation: true, featured: true },
        'a forged link changed nothing',
      );
      const browser = await app.request({
        method: 'GET',
        url: forged({ token: flipped }),
        origin: null,
        headers: { accept: 'text/html', 'accept-language': 'he' },
      });
      assert.equal(browser.status, 400);
      assert.match(String(browser.headers['content-type']), /^text\/html/);
      assert.ok(browser.text.includes('<html lang="he" dir="rtl">'), browser.text);
      assert.ok(browser.text.includes('אינו תקף'), 'the refusal in the reader’s language');

      // The next reply mails nothing: the notification is skipped.
      const before = received(rana.email).length;
      const id = await notify(rana.id, await comment('A reply after unsubscribing.'));
      await app.worker.drain();
      await settle();
      assert.equal(await stateOf(id), 'skipped');
      assert.equal(received(rana.email).length, before);
    });

    it('unsubscribes from the page’s button and from a multipart one-click, in the reader’s language', async () => {
      const key = await unsubscribeKey(db());
      const noa = await reader('Noa', 'daily', 'he');
      const digestLink = new URL(unsubscribeUrl(app.config.publicUrl, key, noa.id, 'digest'));
      const page = await app.request({
        method: 'POST',
        url: `${digestLink.pathname}${digestLink.search}`,
        origin: null,
        raw: 'List-Unsubscribe=One-Click',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'text/html',
          'accept-language': 'en',
        },
      });
      assert.equal(page.status, 200, page.text);
      assert.ok(page.text.includes('<html lang="he" dir="rtl">'), 'the reader’s language');
      assert.equal((await getNotificationSettings(db(), noa.id)).email, 'off', 'digest: all off');

      const mentionLink = new URL(unsubscribeUrl(app.config.publicUrl, key, noa.id, 'mention'));
      const boundary = 'mailclient1234';
      const multipart = await app.request({
        method: 'POST',
        url: `${mentionLink.pathname}${mentionLink.search}`,
        origin: null,
        raw: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      assert.equal(multipart.status, 200, multipart.text);
      assert.equal((await getNotificationSettings(db(), noa.id)).kinds.mention, false);
    });

    it('skips what is no longer true or no longer wanted', async () => {
      const sam = await reader('Sam');
      const deleted = await comment('Soon deleted.');
      await db()
        .updateTable('comments')
        .set({ status: 'deleted', deleted_at: new Date().toISOString() })
        .where('id', '=', deleted)
        .execute();
      const gone = await notify(sam.id, deleted);
      const held = await comment('Held again.');
      await db()
        .updateTable('comments')
        .set({ status: 'pending' })
        .where('id', '=', held)
        .execute();
      const pending = await notify(sam.id, held, 'mention');
      const later = await comment('Turned off since.');
      const off = await notify(sam.id, later, 'mention');
      await updateNotificationSettings(db(), sam.id, { kinds: { mention: false } });
      const unconfirmed = await reader('Unconfirmed');
      await db()
        .updateTable('users')
        .set({ email_verified_at: null })
        .where('id', '=', unconfirmed.id)
        .execute();
      const noAddress = await notify(unconfirmed.id, await comment('To nobody.'));
      // A rejection is mailed while the comment stays rejected.
      const own = await comment('Mine, rejected.', sam.token);
      await db()
        .updateTable('comments')
        .set({ status: 'rejected', rejection_code: 'SPAM', rejection_note: 'Links to a shop.' })
        .where('id', '=', own)
        .execute();
      const rejected = await notify(sam.id, own, 'rejected');
      // A reader who has chosen a digest since: the notification waits for it.
      const switched = await reader('Switched');
      const toDigest = await notify(switched.id, await comment('For the digest.'));
      await updateNotificationSettings(db(), switched.id, { email: 'hourly' });
      await app.worker.drain();
      assert.equal(await stateOf(toDigest), 'digest');
      assert.equal(received(switched.email).length, 0);
      for (const id of [gone, pending, off, noAddress]) assert.equal(await stateOf(id), 'skipped');
      assert.equal(await stateOf(rejected), 'sent');
      const mail = await peer.waitForMessage((m) => m.envelope.to.includes(sam.email));
      assert.equal(mail.subject, 'Your comment was not published');
      assert.ok(mail.text.includes('Reason: Spam'));
      assert.ok(mail.text.includes('The moderator’s note: Links to a shop.'));
      await settle();
      assert.equal(received(sam.email).length, 1);
      assert.equal(received(unconfirmed.email).length, 0);
    });

    it('stops notification mail after a hard bounce, not a confirmation; confirming resumes it', async () => {
      const kim = await reader('Kim', 'immediate', 'fr');
      peer.refuse('5.1.1 No such mailbox', 550);
      let bounced: string;
      try {
        bounced = await notify(kim.id, await comment('Into the void.'));
        await app.worker.drain();
      } finally {
        peer.accept();
      }
      assert.equal(await stateOf(bounced), 'sent', 'handed to the outbox');
      const failed = await db()
        .selectFrom('mail_outbox')
        .select(['id', 'state', 'last_error'])
        .where('to_address', '=', kim.email)
        .executeTakeFirstOrThrow();
      assert.equal(failed.state, 'failed');
      assert.match(failed.last_error ?? '', /550/);
      const job = await db()
        .selectFrom('jobs')
        .select(['done_at', 'attempts'])
        .where('kind', '=', 'mail.send')
        .where('payload', '=', JSON.stringify({ outboxId: failed.id }))
        .executeTakeFirstOrThrow();
      assert.ok(job.done_at, 'not retried');
      assert.equal(job.attempts, 1);
      const marked = await db()
        .selectFrom('users')
        .select('mail_bounced_at')
        .where('id', '=', kim.id)
        .executeTakeFirstOrThrow();
      assert.ok(marked.mail_bounced_at, 'the reader is marked bounced');

      // The server takes mail again, but notifications stay stopped…
      const stopped = await notify(kim.id, await comment('Still into the void.'));
      await app.worker.drain();
      assert.equal(await stateOf(stopped), 'skipped');
      // …even one already in the outbox when the bounce came.
      const queued = await db()
        .transaction()
        .execute((trx) =>
          queueMail(trx, {
            userId: kim.id,
            to: kim.email,
            template: 'notify-featured',
            locale: 'fr',
            siteId: app.site.id,
            params: {
              name: 'Kim',
              siteName: 'Test News',
              storyTitle: 'Story',
              actor: 'Kim',
              excerpt: 'x',
              link: storyUrl,
            },
          }),
        );
      // …while account mail still goes out, so that the reader can confirm an address again.
      await db()
        .transaction()
        .execute((trx) =>
          queueMail(trx, {
            userId: kim.id,
            to: kim.email,
            template: 'verify',
            locale: 'fr',
            params: { name: 'Kim', link: 'http://parley.test/account/verify?token=t' },
          }),
        );
      await app.worker.drain();
      const verify = await peer.waitForMessage((m) => m.envelope.to.includes(kim.email));
      assert.equal(verify.subject, 'Confirmez votre adresse e-mail');
      await settle();
      assert.equal(received(kim.email).length, 1);
      const held = await db()
        .selectFrom('mail_outbox')
        .select(['state', 'last_error'])
        .where('id', '=', queued)
        .executeTakeFirstOrThrow();
      assert.equal(held.state, 'failed');
      assert.match(held.last_error ?? '', /bounced/);

      await markEmailVerified(db(), kim.id);
      const cleared = await db()
        .selectFrom('users')
        .select('mail_bounced_at')
        .where('id', '=', kim.id)
        .executeTakeFirstOrThrow();
      assert.equal(cleared.mail_bounced_at, null);
      const resumed = await notify(kim.id, await comment('Welcome back.'));
      await app.worker.drain();
      assert.equal(await stateOf(resumed), 'sent');
      const mail = await peer.waitForMessage(
        (m) => m.envelope.to.includes(kim.email) && m.subject.includes('a répondu'),
      );
      assert.ok(mail.text.includes('Welcome back.'));

      // A new address, confirmed, starts without the old one's bounce.
      await db()
        .updateTable('users')
        .set({ mail_bounced_at: new Date().toISOString() })
        .where('id', '=', kim.id)
        .execute();
      await setConfirmedEmail(db(), kim.id, `renewed.${kim.email}`);
      const renewed = await db()
        .selectFrom('users')
        .select('mail_bounced_at')
        .where('id', '=', kim.id)
        .executeTakeFirstOrThrow();
      assert.equal(renewed.mail_bounced_at, null);
    });

    it('does not mark an account bounced for an address it no longer has', async () => {
      const lee = await reader('Lee');
      const oldAddress = lee.email;
      const id = await db()
        .transaction()
        .execute((trx) =>
          queueMail(trx, {
            userId: lee.id,
            to: oldAddress,
            template: 'notify-approved',
            locale: 'en',
            params: {
              name: 'Lee',
              siteName: 'Test News',
              storyTitle: 'Story',
              actor: 'Lee',
              excerpt: 'x',
              link: storyUrl,
            },
          }),
        );
      await db()
        .updateTable('users')
        .set({ email: `new.${++n}.${oldAddress}` })
        .where('id', '=', lee.id)
        .execute();
      peer.refuse('5.1.1 No such mailbox', 550);
      try {
        await app.worker.drain();
      } finally {
        peer.accept();
      }
      const row = await db()
        .selectFrom('mail_outbox')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(row.state, 'failed');
      const user = await db()
        .selectFrom('users')
        .select('mail_bounced_at')
        .where('id', '=', lee.id)
        .executeTakeFirstOrThrow();
      assert.equal(user.mail_bounced_at, null);
    });
  });
}
