/**
 * Account mail templates: every template in every interface language renders a subject, a text
 * and an HTML body; the language falls back sensibly; Arabic and Hebrew read right to left; links
 * survive intact; and parameters are escaped exactly once in the HTML.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAIL_LOCALES,
  MAIL_TEMPLATES,
  renderMail,
  resolveMailLocale,
  type MailParams,
} from '../../src/mail/templates.ts';

const LINK = 'https://comments.example/account/verify?token=abc_DEF-123&next=%2F';
const PARAMS: { [T in (typeof MAIL_TEMPLATES)[number]]: MailParams[T] } = {
  verify: { name: 'Rana', link: LINK },
  'signup-existing': {
    name: 'Rana',
    loginLink: 'https://comments.example/account?login=1',
    resetLink: 'https://comments.example/account/reset?start=1',
  },
  reset: { name: 'Rana', link: LINK },
  'change-email': { name: 'Rana', link: LINK },
  'email-changed': { name: 'Rana', newEmail: 'rana.new@example.com' },
  'deletion-scheduled': {
    name: 'Rana',
    dueAt: '2026-03-12T14:00:00.000Z',
    cancelLink: 'https://comments.example/account?cancel=1',
  },
  'account-deleted': { name: 'Rana' },
};

/** Every web address a parameter carries, as it must appear in the mail. */
const linksOf = (params: object) =>
  Object.values(params).filter((value: string) => value.startsWith('https://')) as string[];

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

describe('mail templates', () => {
  for (const template of MAIL_TEMPLATES) {
    it(`renders "${template}" in every language, with its links as buttons and as text`, () => {
      const english = renderMail(template, 'en', PARAMS[template]);
      for (const locale of MAIL_LOCALES) {
        const mail = renderMail(template, locale, PARAMS[template]);
        const label = `${template}/${locale}`;
        assert.equal(mail.locale, locale, label);
        assert.ok(mail.subject.trim().length > 0, label);
        assert.ok(!mail.subject.includes('\n'), label);
        assert.ok(mail.text.includes('Rana'), label);
        assert.ok(mail.html.includes('<bdi>Rana</bdi>'), label);
        assert.ok(mail.html.includes(`lang="${locale}"`), label);
        if (locale !== 'en') {
          assert.notEqual(mail.subject, english.subject, `${label}: translated`);
          assert.notEqual(mail.text, english.text, `${label}: translated`);
        }
        for (const link of linksOf(PARAMS[template])) {
          assert.ok(mail.text.includes(`\n${link}\n`), `${label}: ${link} on a line of its own`);
          assert.ok(mail.html.includes(`href="${escapeHtml(link)}"`), `${label}: ${link} linked`);
          assert.ok(mail.html.includes(`>${escapeHtml(link)}</a>`), `${label}: ${link} written`);
        }
        // Placeholders never leak.
        assert.ok(!/[\uE000\uE001]/.test(mail.subject + mail.text + mail.html), label);
      }
    });
  }

  it('writes Arabic and Hebrew right to left, the others left to right', () => {
    for (const locale of MAIL_LOCALES) {
      const { html } = renderMail('verify', locale, PARAMS.verify);
      const dir = locale === 'ar' || locale === 'he' ? 'rtl' : 'ltr';
      assert.match(html, new RegExp(`<html lang="${locale}" dir="${dir}">`), locale);
      // Addresses stay left to right inside right-to-left text.
      assert.match(html, /<a href="[^"]+" style="[^"]*" dir="ltr">/, locale);
    }
  });

  it('falls back from a regional or unknown language', () => {
    assert.equal(resolveMailLocale('fr-CA'), 'fr');
    assert.equal(resolveMailLocale('ZH_Hant_TW'), 'zh');
    assert.equal(resolveMailLocale(' he '), 'he');
    assert.equal(resolveMailLocale('de'), 'en');
    assert.equal(resolveMailLocale('french'), 'en');
    assert.equal(resolveMailLocale(''), 'en');
    assert.equal(resolveMailLocale(null), 'en');
    const mail = renderMail('reset', 'es-MX', PARAMS.reset);
    assert.equal(mail.locale, 'es');
    assert.equal(mail.subject, renderMail('reset', 'es', PARAMS.reset).subject);
    assert.equal(renderMail('reset', 'xx', PARAMS.reset).locale, 'en');
  });

  it('escapes every parameter once in the HTML and leaves the text as written', () => {
    const name = '<script>alert("x")</script> & <b>Tom</b>';
    const newEmail = '"><img src=x onerror=alert(1)>@example.com';
    for (const locale of MAIL_LOCALES) {
      const mail = renderMail('email-changed', locale, { name, newEmail });
      assert.ok(!mail.html.includes('<script'), locale);
      assert.ok(!mail.html.includes('<img'), locale);
      assert.ok(!mail.html.includes('<b>'), locale);
      assert.ok(mail.html.includes(escapeHtml(name)), locale);
      assert.ok(mail.html.includes('&amp; &lt;b&gt;Tom'), locale);
      assert.ok(!mail.html.includes('&amp;amp;') && !mail.html.includes('&amp;lt;'), locale);
      assert.ok(mail.text.includes(name) && mail.text.includes(newEmail), locale);
    }
    // A parameter that looks like a placeholder stays text.
    const tricky = renderMail('verify', 'en', { name: '\uE000link\uE001', link: LINK });
    assert.equal(tricky.text.split(LINK).length - 1, 1);
  });

  it('makes links of web addresses only', () => {
    const mail = renderMail('verify', 'en', { name: 'Rana', link: 'javascript:alert(1)' });
    assert.ok(!mail.html.includes('href="javascript:'), mail.html);
    assert.ok(mail.html.includes('javascript:alert(1)'));
  });

  it('greets without a name when there is none, and signs with the brand given', () => {
    const mail = renderMail('account-deleted', 'fr', { name: '  ' }, 'Le Quotidien');
    assert.ok(mail.text.startsWith('Bonjour,\n'), mail.text);
    assert.ok(mail.text.includes('L’équipe Le Quotidien'), mail.text);
    assert.ok(
      renderMail('account-deleted', 'en', { name: 'Rana' }).text.includes('The Parley team'),
    );
  });

  it('shows the deletion date in the reader’s language, and any other text as given', () => {
    const due = '2026-03-12T14:00:00.000Z';
    const params = { name: 'Rana', dueAt: due, cancelLink: LINK };
    assert.match(renderMail('deletion-scheduled', 'en', params).text, /March 12, 2026.*UTC/);
    assert.match(renderMail('deletion-scheduled', 'fr', params).text, /12 mars 2026.*UTC/);
    assert.match(renderMail('deletion-scheduled', 'zh', params).text, /2026年3月12日/);
    const loose = renderMail('deletion-scheduled', 'en', { ...params, dueAt: 'tomorrow' });
    assert.ok(loose.text.includes('deleted on tomorrow.'));
  });
});
