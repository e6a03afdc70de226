/**
 * Notification mail, alerts and notices as rendered (no database): every template in each of the
 * six languages, right to left for Arabic and Hebrew, with no placeholder left over; the comment's
 * text quoted as harmless plain text (markup, entities, bidi overrides); the publisher's brand
 * (name, https logo, accent colour as a table cell's bgcolor, sign-off) and never "The Parley
 * team" alone; the one-click unsubscribe at the foot; a digest capped with what was left out
 * counted; and every inline style a mail can carry allowed by the dashboard's policy.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { commentExcerpt, cutText } from '../../src/domain/excerpt.ts';
import {
  MAIL_LOCALES,
  MAIL_STYLE_SOURCES,
  NOTICE_TEMPLATES,
  renderMail,
  type MailBrand,
  type MailParams,
} from '../../src/mail/templates.ts';

const LINK = 'https://news.example/2026/rates#parley-comment-01J0000000000000000000000A';
const UNSUBSCRIBE = 'https://comments.example/unsubscribe?user=01J0&kind=reply&token=abc_DEF-1';
const notify = {
  name: 'Rana',
  siteName: 'The Northgate Herald',
  storyTitle: 'Rates rise again',
  actor: 'Amal Haddad',
  excerpt: 'I think the bank waited too long.',
  link: LINK,
};
const PARAMS: { [T in (typeof NOTICE_TEMPLATES)[number]]: MailParams[T] } = {
  'notify-reply': notify,
  'notify-staff': notify,
  'notify-mention': notify,
  'notify-answer': notify,
  'notify-approved': notify,
  'notify-rejected': {
    ...notify,
    reasonCode: 'OFF_TOPIC',
    note: 'Please keep to the article.',
    guidelinesLink: 'https://news.example/community-guidelines',
  },
  'notify-featured': notify,
  'notify-appeal': { ...notify, outcome: 'reversed', note: 'The quote was fair comment.' },
  'notify-digest': {
    name: 'Rana',
    siteName: 'The Northgate Herald',
    period: 'daily',
    stories: [
      {
        title: 'Rates rise again',
        link: 'https://news.example/2026/rates',
        more: 2,
        items: [
          {
            kind: 'reply',
            author: 'Amal Haddad',
            excerpt: 'First reply.',
            link: `${LINK}1`,
            reasonCode: null,
          },
          {
            kind: 'rejected',
            author: 'Rana',
            excerpt: 'My removed comment.',
            link: `${LINK}2`,
            reasonCode: 'SPAM',
          },
        ],
      },
    ],
    more: 3,
  },
  'moderator-alert': {
    name: 'Mo',
    siteName: 'The Northgate Herald',
    kind: 'pending',
    count: 3,
    items: [
      {
        author: 'Amal Haddad',
        excerpt: 'A held comment.',
        reason: 'Link limit',
        link: 'https://comments.example/admin/comments/01J1',
      },
    ],
    link: 'https://comments.example/admin/queues/pending',
  },
  'notice-received': {
    name: 'Ada',
    siteName: 'The Northgate Herald',
    storyTitle: 'Harbour plans',
    legalGround: 'Defamation',
    link: 'https://news.example/harbour#comment-01J1',
  },
  'webhook-disabled': {
    name: 'Ada',
    siteName: 'The Northgate Herald',
    url: 'https://hooks.example/parley',
    since: '2026-03-09T08:00:00.000Z',
    reason: 'HTTP 502',
    link: 'https://comments.example/admin/webhooks/01J2',
  },
};
const BRAND: MailBrand = {
  siteName: 'The Northgate Herald',
  logoUrl: 'https://news.example/logo.png',
  accentColor: '#B5121B',
  senderName: 'Herald Comments',
  signoff: null,
};

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('notification mail templates', () => {
  for (const template of NOTICE_TEMPLATES) {
    it(`renders "${template}" in the six languages under the publisher's brand`, () => {
      const english = renderMail(template, 'en', PARAMS[template], BRAND);
      for (const locale of MAIL_LOCALES) {
        const label = `${template}/${locale}`;
        const mail = renderMail(template, locale, PARAMS[template], BRAND, {
          list: 'reply',
          unsubscribeUrl: UNSUBSCRIBE,
        });
        assert.equal(mail.locale, locale, label);
        assert.ok(mail.subject.trim().length > 0 && !mail.subject.includes('\n'), label);
        const dir = locale === 'ar' || locale === 'he' ? 'rtl' : 'ltr';
        assert.ok(mail.html.includes(`<html lang="${locale}" dir="${dir}">`), label);
        assert.ok(mail.html.includes(`<div dir="${dir}"`), label);
        // Nothing left of the placeholders, and no "undefined" or empty value slipped in.
        assert.ok(!/[\uE000\uE001]/.test(mail.subject + mail.text + mail.html), label);
        assert.ok(!/undefined|NaN|\[object/.test(mail.subject + mail.text + mail.html), label);
        if (locale !== 'en') {
          assert.notEqual(mail.subject, english.subject, `${label}: translated`);
        }
        // The brand: the site's name and logo at the top, the copy's sign-off with the name.
        assert.match(
          mail.html,
          /<img src="https:\/\/news\.example\/logo\.png" alt="The Northgate Herald"/,
          label,
        );
        assert.ok(mail.html.includes('<bdi>The Northgate Herald</bdi>'), label);
        assert.ok(!mail.text.includes('Parley'), `${label}: signed by the publisher`);
        // The one-click unsubscribe at the foot of both parts.
        assert.ok(mail.text.includes(`\n${UNSUBSCRIBE}\n`), label);
        assert.ok(mail.html.includes(`href="${escapeHtml(UNSUBSCRIBE)}"`), label);
      }
    });
  }

  it('links every comment where it stands in its article, in text and HTML', () => {
    for (const template of ['notify-reply', 'notify-mention', 'notify-featured'] as const) {
      const mail = renderMail(template, 'fr', PARAMS[template], BRAND);
      assert.ok(mail.text.includes(`\n${LINK}\n`), template);
      assert.ok(mail.html.includes(`href="${LINK}"`), template);
    }
  });

  it('quotes a comment as harmless text: no markup, no direction override', () => {
    const html =
      '<p>Look &lt;script&gt;alert(1)&lt;/script&gt; <a href="https://x.example">here</a><br>\u202Egnp.exe\u202C &amp; more</p>';
    const excerpt = commentExcerpt(html);
    assert.equal(excerpt, 'Look <script>alert(1)</script> here gnp.exe & more');
    for (const locale of MAIL_LOCALES) {
      const mail = renderMail('notify-reply', locale, { ...notify, excerpt }, BRAND);
      assert.ok(!mail.html.includes('<script'), locale);
      assert.ok(mail.html.includes('<bdi>Look &lt;script&gt;alert(1)&lt;/script&gt; here'), locale);
      assert.ok(mail.text.includes('> Look <script>alert(1)</script> here'), locale);
      assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(mail.text + mail.html), locale);
    }
  });

  it('cuts a long comment on a word boundary, and Chinese where it must', () => {
    const words = 'word '.repeat(200);
    const cut = commentExcerpt(`<p>${words}</p>`);
    assert.ok([...cut].length <= 300, String(cut.length));
    assert.match(cut, /word…$/);
    const chinese = cutText('评'.repeat(400));
    assert.equal([...chinese].length, 300);
    assert.ok(chinese.endsWith('…'));
    assert.equal(cutText('short'), 'short');
  });

  it('gives the button the accent colour as a cell colour, readable text on it', () => {
    const dark = renderMail('notify-reply', 'en', notify, BRAND);
    assert.match(
      dark.html,
      /<td bgcolor="#b5121b" style="[^"]*"><a href="[^"]+" style="[^"]*color:#ffffff;/,
    );
    const light = renderMail('notify-reply', 'en', notify, { ...BRAND, accentColor: '#ffd400' });
    assert.match(
      light.html,
      /<td bgcolor="#ffd400" style="[^"]*"><a href="[^"]+" style="[^"]*color:#111111;/,
    );
    // A colour that is not #rrggbb never reaches the markup.
    const bad = renderMail('notify-reply', 'en', notify, {
      ...BRAND,
      accentColor: 'red" onmouseover="x',
    });
    assert.ok(!bad.html.includes('bgcolor') && !bad.html.includes('onmouseover'));
  });

  it('shows only an https logo, and signs with the publisher’s own sign-off when set', () => {
    const http = renderMail('notify-reply', 'en', notify, {
      ...BRAND,
      logoUrl: 'http://news.example/logo.png',
    });
    assert.ok(!http.html.includes('<img'), 'no http image');
    const signed = renderMail('notify-reply', 'he', notify, {
      ...BRAND,
      signoff: 'Herald <Desk> & friends',
    });
    assert.ok(signed.text.includes('\nHerald <Desk> & friends\n'));
    assert.ok(signed.html.includes('<bdi>Herald &lt;Desk&gt; &amp; friends</bdi>'));
    // Without a sign-off of its own, the copy's, with the site's name.
    assert.ok(
      renderMail('notify-reply', 'en', notify, BRAND).text.endsWith(
        '\n\nThe Northgate Herald team\n',
      ),
    );
  });

  it('caps a digest: what was left out is counted, under its article and at the end', () => {
    const mail = renderMail('notify-digest', 'en', PARAMS['notify-digest'], BRAND);
    assert.ok(mail.text.includes('Rates rise again\n'));
    assert.ok(mail.text.includes('Amal Haddad replied to your comment:\n\n> First reply.'));
    assert.ok(mail.text.includes('Your comment was not published (Spam):'));
    assert.ok(mail.text.includes('And 2 more on this article:\nhttps://news.example/2026/rates\n'));
    assert.ok(mail.text.includes('And 3 more notifications on other articles'));
    const arabic = renderMail('notify-digest', 'ar', PARAMS['notify-digest'], BRAND);
    assert.ok(arabic.text.includes('وإشعاران آخران في هذا المقال'), 'the dual form');
    assert.ok(arabic.text.includes('و3 إشعارات أخرى'), 'the form for three to ten');
  });

  it('writes rejection reasons and the moderator’s note in the reader’s language', () => {
    const params = PARAMS['notify-rejected'];
    assert.ok(
      renderMail('notify-rejected', 'es', params, BRAND).text.includes('Motivo: Fuera de tema'),
    );
    assert.ok(renderMail('notify-rejected', 'he', params, BRAND).text.includes('הסיבה: לא לעניין'));
    const unknown = renderMail(
      'notify-rejected',
      'en',
      { ...params, reasonCode: 'NEW_CODE', note: null },
      BRAND,
    );
    assert.ok(unknown.text.includes('Reason: Other'));
    assert.ok(!unknown.text.includes('moderator’s note'));
    // A choice that is not a code is dropped, not written into the mail.
    const odd = renderMail('notify-rejected', 'en', { ...params, reasonCode: '<b>x</b>' }, BRAND);
    assert.ok(!odd.html.includes('<b>x'));
  });

  it('allows every inline style a mail can carry in the dashboard’s policy', () => {
    const allowed = new Set(MAIL_STYLE_SOURCES);
    const mails = [
      ...NOTICE_TEMPLATES.flatMap((template) =>
        ['en', 'ar'].flatMap((locale) => [
          renderMail(template, locale, PARAMS[template], BRAND, {
            list: 'reply',
            unsubscribeUrl: UNSUBSCRIBE,
          }),
          renderMail(template, locale, PARAMS[template], { ...BRAND, accentColor: '#ffd400' }),
          renderMail(template, locale, PARAMS[template]),
        ]),
      ),
      renderMail('verify', 'en', { name: 'Rana', link: LINK }),
    ];
    let styles = 0;
    for (const mail of mails) {
      for (const [, style] of mail.html.matchAll(/style="([^"]*)"/g)) {
        const source = `'sha256-${createHash('sha256')
          .update(style ?? '')
          .digest('base64')}'`;
        assert.ok(allowed.has(source), `a style not in MAIL_STYLE_SOURCES: ${style}`);
        styles++;
      }
    }
    assert.ok(styles > 100);
  });
});
