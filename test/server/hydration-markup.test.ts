/**
 * The server-rendered thread's markup (src/server/rendered/markup.ts) and its stylesheet
 * (/embed/rendered.css, scripts/build-web.ts): hostile names, badges, addresses and ids come out
 * as text, the comment's sanitised HTML as stored; the words are the widget's, in each language,
 * right to left in Arabic and Hebrew; every rule of the stylesheet is scoped to the fragment; the
 * stylesheet is served compressed, with an ETag and a short cache. (That the markup is the widget's
 * own DOM, and that taking it over moves nothing, is test/browser/hydration.test.ts.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { AVATAR_COLOURS } from '../../src/domain/avatar.ts';
import { buildRenderedCss, RENDERED_SCOPE, scopeWidgetCss } from '../../scripts/build-web.ts';
import { THREAD_WORDS } from '../../src/domain/thread-words/index.ts';
import { INTERFACE_LANGUAGES } from '../../src/domain/vocabulary.ts';
import { renderThreadMarkup, renderedDate } from '../../src/server/rendered/markup.ts';
import type { ThreadMarkupInput } from '../../src/server/rendered/markup.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

const HOSTILE = `"><img src=x onerror=alert(1)><script>alert(2)</script>'`;

function comment(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    storyId: 'S1',
    parentId: null,
    threadParentId: null,
    replyToName: null,
    depth: 0,
    author: {
      id: 'U1',
      displayName: 'Amira Haddad',
      role: 'commenter',
      avatarUrl: null,
      badges: [],
    },
    html: '<p>Hello <em>there</em></p>',
    status: 'approved',
    deleted: false,
    createdAt: '2026-11-30T23:30:00.000Z',
    editedAt: null,
    editableUntil: null,
    replyCount: 0,
    reactionCount: 4,
    featured: false,
    viewer: { own: false, reacted: false, reported: false },
    replies: [],
    repliesCursor: null,
    ...extra,
  };
}

function input(comments: unknown[], extra: Partial<ThreadMarkupInput> = {}): ThreadMarkupInput {
  return {
    page: {
      story: {
        id: 'S1',
        siteId: 'SITE1',
        externalId: 'x',
        url: 'https://news.example/a',
        title: 'A story',
        commentCount: comments.length,
        closed: false,
      } as unknown as ThreadMarkupInput['page']['story'],
      comments: comments as ThreadMarkupInput['page']['comments'],
      nextCursor: null,
      featuredCount: 0,
    },
    site: { id: 'SITE1', name: 'News', editWindowSeconds: 900, maxDepth: 3, locale: 'en' } as never,
    lang: 'en',
    moreHref: null,
    origin: 'https://parley.example',
    ...extra,
  };
}

describe('server-rendered thread markup', () => {
  it('writes hostile names, badges and addresses as text, and the stored HTML as it is', () => {
    const html = renderThreadMarkup(
      input(
        [
          comment('C1', {
            author: {
              id: `U"1`,
              displayName: HOSTILE,
              role: 'commenter',
              avatarUrl: 'javascript:alert(3)',
              badges: [HOSTILE],
            },
            replyToName: HOSTILE,
          }),
          comment('C2', {
            author: {
              id: 'U2',
              displayName: 'Ben',
              role: 'staff',
              avatarUrl: `https://img.example/a.png"onerror="alert(4)`,
              badges: ['Staff', 'subscriber'],
            },
          }),
        ],
        { moreHref: `/stories/S1?cursor="><script>` },
      ),
    );
    // No element or attribute a stranger wrote: only the escaped text.
    assert.doesNotMatch(html, /<script|<img src=x|onerror="alert/);
    assert.match(html, /&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;&lt;script&gt;/);
    // A picture that is not https is not fetched: the initials instead.
    assert.doesNotMatch(html, /javascript:/);
    // Its colour by index, styled by the fragment's stylesheet: a style attribute would be
    // blocked by a page's Content-Security-Policy without 'unsafe-inline'.
    assert.match(html, /<span class="avatar" aria-hidden="true" data-colour="[0-7]">/);
    assert.doesNotMatch(html, / style="/);
    assert.match(
      html,
      /<img class="avatar" src="https:\/\/img\.example\/a\.png&quot;onerror=&quot;alert\(4\)"/,
    );
    // The profile link, with the author's id encoded.
    assert.match(
      html,
      /href="https:\/\/parley\.example\/profiles\/SITE1\/U%221\?lang=en" target="_blank"/,
    );
    // Staff once (the role says it; the granted "Staff" is not repeated), then Subscriber.
    assert.equal(html.match(/>Staff</g)?.length, 1);
    assert.match(html, /<span class="badge granted" dir="auto">Subscriber<\/span>/);
    // The comment's HTML as stored (sanitised on write).
    assert.match(
      html,
      /<div class="body" part="comment-body" dir="auto"><p>Hello <em>there<\/em><\/p><\/div>/,
    );
  });

  it('says the widget’s words in each language, right to left in Arabic and Hebrew', () => {
    for (const lang of INTERFACE_LANGUAGES) {
      const words = THREAD_WORDS[lang];
      const html = renderThreadMarkup(input([comment('C1')], { lang }));
      assert.ok(html.includes(`>${words.commentsHeading(1)}</h2>`), lang);
      assert.ok(html.includes(`>${words.signIn}</button>`), lang);
      assert.ok(html.includes(`>${words.copyLink}</button>`), lang);
      assert.match(html, new RegExp(`dir="${lang === 'ar' || lang === 'he' ? 'rtl' : 'ltr'}"`));
      // The date, in UTC and the reader's language, in the time element.
      assert.ok(html.includes(`>${renderedDate('2026-11-30T23:30:00.000Z', lang)}</time>`), lang);
    }
    assert.equal(renderedDate('2026-11-30T23:30:00.000Z', 'en'), 'Nov 30, 2026');
  });

  it('draws a deleted comment as its tombstone, replies, "more" and a closed story', () => {
    const base = input([
      comment('C1', {
        replyCount: 5,
        replies: [comment('C2', { deleted: true, status: 'deleted', author: null })],
        repliesCursor: 'R',
      }),
    ]);
    const html = renderThreadMarkup({
      ...base,
      moreHref: '/stories/S1?cursor=N',
      page: {
        ...base.page,
        story: { ...base.page.story, closed: true, commentCount: 6 },
        nextCursor: 'N',
      },
    });
    assert.match(html, /<p class="tombstone">This comment was deleted<\/p>/);
    assert.match(html, /<button type="button" class="link">Show 4 more replies<\/button>/);
    assert.match(
      html,
      /<a class="more" part="button" href="\/stories\/S1\?cursor=N">Load more comments<\/a>/,
    );
    assert.match(html, /<p class="note">Comments are closed\.<\/p>/);
    // No reply button on a closed story.
    assert.doesNotMatch(html, /data-action="reply"/);
  });
});

describe('the fragment’s stylesheet', () => {
  let app: TestApp;
  before(async () => {
    await buildRenderedCss();
    app = await createTestApp('sqlite');
  });
  after(() => app?.close());

  it('scopes every rule of the widget’s stylesheet to the fragment', () => {
    const css = scopeWidgetCss(
      ':host{all:initial;display:block}:host([data-font=inherit]) .theme *{font-family:inherit}' +
        '.parley p,.parley ol{margin:0}@media (min-width:40em){.replies{margin:0}}',
    );
    assert.doesNotMatch(css, /:host/);
    assert.ok(css.startsWith(`${RENDERED_SCOPE} *,`), 'the reset first');
    assert.ok(css.includes(`${RENDERED_SCOPE}{all:initial;display:block}`));
    assert.ok(css.includes(`[data-font=inherit]>${RENDERED_SCOPE} .theme *{font-family:inherit}`));
    assert.ok(css.includes(`${RENDERED_SCOPE} .parley p,${RENDERED_SCOPE} .parley ol{margin:0}`));
    assert.ok(css.includes(`@media (min-width:40em){${RENDERED_SCOPE} .replies{margin:0}}`));
    // Every avatar colour, by the index the markup writes.
    AVATAR_COLOURS.forEach((colour, i) =>
      assert.ok(
        css.includes(`${RENDERED_SCOPE} .avatar[data-colour="${i}"]{background:${colour};`),
      ),
    );
  });

  it('is served at /embed/rendered.css, compressed, with an ETag and a short cache', async () => {
    const response = await app.app.inject({
      method: 'GET',
      url: '/embed/rendered.css',
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/css/);
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.equal(response.headers['cache-control'], 'public, max-age=300');
    const css = gunzipSync(response.rawPayload).toString('utf8');
    assert.ok(css.length > 1000);
    // Every rule is the fragment's: no selector reaches the page outside it.
    for (const rule of css.replace(/@media[^{]+\{/g, '').split('}')) {
      const selectors = rule.split('{')[0]!.trim();
      if (!selectors) continue;
      for (const selector of selectors.split(/,(?![^(]*\))/)) {
        assert.ok(selector.includes('.parley-rendered:is(#parley-rendered,*)'), selector);
      }
    }
    const again = await app.app.inject({
      method: 'GET',
      url: '/embed/rendered.css',
      headers: { 'accept-encoding': 'gzip', 'if-none-match': String(response.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
    assert.ok(fs.existsSync('build/web/embed/rendered.css'));
  });
});
