/**
 * parsePageMetadata: reads a story's title, author, image, publication time and canonical URL from
 * the tags of an article's <head>, however the publisher's CMS happens to write them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePageMetadata, type PageMetadata } from '../../src/domain/metadata.ts';

const PAGE = 'https://news.example/world/2024/story.html?ref=home';
const NOTHING: PageMetadata = {
  title: null,
  author: null,
  description: null,
  imageUrl: null,
  publishedAt: null,
  canonicalUrl: null,
  section: null,
};
const parse = (head: string) =>
  parsePageMetadata(`<html><head>${head}</head><body></body></html>`, PAGE);

describe('parsePageMetadata', () => {
  it('reads a typical news article head', () => {
    const meta = parse(`
      <meta charset="utf-8">
      <title>Council votes on budget | Daily News</title>
      <meta property="og:title" content="Council votes on budget">
      <meta property="og:description" content="A 7–2 vote after a long night.">
      <meta property="og:image" content="/images/council.jpg">
      <meta property="article:author" content="Rana Haddad">
      <meta property="article:published_time" content="2024-05-01T09:30:00+02:00">
      <meta property="article:section" content=" World &amp; Politics ">
      <link rel="canonical" href="https://news.example/world/2024/story.html">`);
    assert.deepEqual(meta, {
      title: 'Council votes on budget',
      author: 'Rana Haddad',
      description: 'A 7–2 vote after a long night.',
      imageUrl: 'https://news.example/images/council.jpg',
      publishedAt: '2024-05-01T07:30:00.000Z',
      canonicalUrl: 'https://news.example/world/2024/story.html',
      section: 'World & Politics',
    });
  });

  it('finds nothing in a page without metadata', () => {
    assert.deepEqual(parse(''), NOTHING);
    assert.deepEqual(parsePageMetadata('', PAGE), NOTHING);
    assert.deepEqual(parsePageMetadata('not html at all < > " \'', PAGE), NOTHING);
    assert.deepEqual(parse('<meta property="og:title" content="">  <title>   </title>'), NOTHING);
  });

  describe('title', () => {
    const cases: [string, string, string | null][] = [
      [
        'og:title wins over <title>',
        '<title>Site | Story</title><meta property="og:title" content="Story">',
        'Story',
      ],
      [
        'og:title wins even when it comes later',
        '<meta property="og:title" content="OG"><title>Tag</title>',
        'OG',
      ],
      ['<title> when there is no og:title', '<title>Only the title</title>', 'Only the title'],
      ['<title> with attributes', '<title data-rh="true">With attrs</title>', 'With attrs'],
      ['whitespace collapsed', '<title>\n  Line one\n\t line two  </title>', 'Line one line two'],
      [
        'the first og:title wins',
        '<meta property="og:title" content="First"><meta property="og:title" content="Second">',
        'First',
      ],
    ];
    for (const [name, head, expected] of cases) {
      it(name, () => assert.equal(parse(head).title, expected));
    }

    it('truncates an overly long title to 500 code points (not UTF-16 units)', () => {
      const title = parse(`<meta property="og:title" content="${'😀'.repeat(600)}">`).title;
      assert.ok(title);
      assert.equal([...title].length, 500);
      assert.equal(title, '😀'.repeat(500), 'no emoji is cut in half');
      assert.equal(parse(`<title>${'a'.repeat(501)}</title>`).title, 'a'.repeat(500));
    });

    it('caps author at 200 and description at 1000 code points', () => {
      const meta = parse(
        `<meta name="author" content="${'é'.repeat(300)}"><meta name="description" content="${'ß'.repeat(1500)}">`,
      );
      assert.equal(meta.author, 'é'.repeat(200));
      assert.equal(meta.description, 'ß'.repeat(1000));
    });
  });

  describe('author and description', () => {
    const cases: [string, string, Partial<PageMetadata>][] = [
      [
        'article:author',
        '<meta property="article:author" content="Yossi Cohen">',
        { author: 'Yossi Cohen' },
      ],
      [
        'article:author over name=author',
        '<meta name="author" content="N"><meta property="article:author" content="A">',
        { author: 'A' },
      ],
      ['name=author as fallback', '<meta name="author" content="Desk">', { author: 'Desk' }],
      [
        'og:description over description',
        '<meta name="description" content="D"><meta property="og:description" content="OG">',
        { description: 'OG' },
      ],
    ];
    for (const [name, head, expected] of cases) {
      it(name, () => assert.deepEqual({ ...parse(head), ...expected }, parse(head)));
    }
  });

  describe('published time', () => {
    const cases: [string, string | null][] = [
      ['2024-05-01T09:30:00+02:00', '2024-05-01T07:30:00.000Z'],
      ['2024-05-01T09:30:00Z', '2024-05-01T09:30:00.000Z'],
      ['2024-05-01T09:30:00.123-05:00', '2024-05-01T14:30:00.123Z'],
      ['2024-05-01', '2024-05-01T00:00:00.000Z'],
      ['yesterday', null],
      ['', null],
    ];
    for (const [value, expected] of cases) {
      it(`${JSON.stringify(value)} → ${expected}`, () => {
        assert.equal(
          parse(`<meta property="article:published_time" content="${value}">`).publishedAt,
          expected,
        );
      });
    }
  });

  describe('image', () => {
    const cases: [string, string | null][] = [
      ['https://cdn.example/a.jpg', 'https://cdn.example/a.jpg'],
      ['http://cdn.example/a.jpg', 'http://cdn.example/a.jpg'],
      ['/images/a.jpg', 'https://news.example/images/a.jpg'],
      ['a.jpg', 'https://news.example/world/2024/a.jpg'],
      ['../img/a.jpg?w=800&amp;h=600', 'https://news.example/world/img/a.jpg?w=800&h=600'],
      ['//cdn.example/a.jpg', 'https://cdn.example/a.jpg'],
      ['javascript:alert(1)', null],
      ['data:image/png;base64,iVBORw0KGgo=', null],
      ['ftp://files.example/a.jpg', null],
      ['file:///etc/passwd', null],
      ['http://[not a host', null],
    ];
    for (const [content, expected] of cases) {
      it(`${content} → ${expected}`, () => {
        assert.equal(parse(`<meta property="og:image" content="${content}">`).imageUrl, expected);
      });
    }
  });

  describe('canonical URL', () => {
    const cases: [string, string | null][] = [
      ['<link rel="canonical" href="/world/story">', 'https://news.example/world/story'],
      ['<link href="https://news.example/c" rel="CANONICAL">', 'https://news.example/c'],
      ['<meta property="og:url" content="https://news.example/og">', 'https://news.example/og'],
      ['<link rel="canonical" href="javascript:alert(1)">', null],
      ['<link rel="stylesheet" href="/style.css">', null],
    ];
    for (const [head, expected] of cases) {
      it(head, () => assert.equal(parse(head).canonicalUrl, expected));
    }
  });

  describe('attribute order and quoting', () => {
    const heads = [
      '<meta property="og:title" content="Hello world">',
      '<meta content="Hello world" property="og:title">',
      "<meta property='og:title' content='Hello world'>",
      '<meta property=og:title content="Hello world">',
      '<META PROPERTY="OG:TITLE" CONTENT="Hello world">',
      '<meta\n  property = "og:title"\n  content = "Hello world"\n/>',
      '<meta data-x="1" property="og:title" itemprop="name" content="Hello world" />',
      '<meta name="og:title" content="Hello world">',
    ];
    for (const head of heads) {
      it(JSON.stringify(head), () => assert.equal(parse(head).title, 'Hello world'));
    }

    it('a double quote inside single quotes and a single quote inside double quotes', () => {
      assert.equal(parse(`<meta property="og:title" content="It's here">`).title, "It's here");
      assert.equal(parse(`<meta property='og:title' content='The "word"'>`).title, 'The "word"');
    });

    it('a > inside a quoted attribute value is part of the value', () => {
      assert.equal(
        parse('<meta property="og:title" content="Rates > 5% for the first time">').title,
        'Rates > 5% for the first time',
      );
    });
  });

  describe('character references', () => {
    const cases: [string, string][] = [
      ['Tom &amp; Jerry', 'Tom & Jerry'],
      ['It&#39;s', "It's"],
      ['&quot;Quoted&quot;', '"Quoted"'],
      ['&lt;b&gt;not bold&lt;/b&gt;', '<b>not bold</b>'],
      ['O&apos;Brien', "O'Brien"],
      ['Caf&#233; &#8212; &#128512;', 'Café — 😀'],
      [
        'It&#x27;s (hex, as Python and Django write it)',
        "It's (hex, as Python and Django write it)",
      ],
      ['Write &amp;#39; to get an apostrophe', 'Write &#39; to get an apostrophe'],
    ];
    for (const [content, expected] of cases) {
      it(`${content} → ${expected}`, () => {
        assert.equal(parse(`<meta property="og:title" content="${content}">`).title, expected);
        assert.equal(parse(`<title>${content}</title>`).title, expected, 'the same in <title>');
      });
    }

    it('never produces NUL, other controls or lone surrogates from numeric references', () => {
      for (const reference of ['&#0;', '&#1;', '&#27;', '&#55296;', '&#57343;', '&#1114112;']) {
        const title = parse(`<meta property="og:title" content="A${reference}B">`).title ?? '';
        assert.doesNotMatch(
          title,
          /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/,
          `${reference} → ${JSON.stringify(title)}`,
        );
        assert.doesNotMatch(title, /[\uD800-\uDFFF]/u, `${reference} → ${JSON.stringify(title)}`);
        assert.ok(title.startsWith('A') && title.endsWith('B'));
      }
    });
  });
});
