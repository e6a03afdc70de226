/**
 * renderCommentHtml: the small Markdown subset renders as it should; everything else a commenter
 * types (raw HTML, dangerous link schemes, headings, lists, images, tables) stays inert text; and over
 * many hostile inputs the output only ever holds the allowed tags and attributes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCommentHtml } from '../../src/domain/markdown.ts';

const REL = 'rel="nofollow ugc noopener" target="_blank"';
const ALLOWED_TAGS = new Set(['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre']);
const ALLOWED_LINK_SCHEMES = ['http:', 'https:', 'mailto:'];

interface Tag {
  name: string;
  closing: boolean;
  attributes: Map<string, string>;
}

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s=/>]+)(?:="([^"]*)")?/g;

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, code: string) => String.fromCodePoint(parseInt(code, 16)))
    .replace(/&#(\d+);?/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&colon;/gi, ':')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Every tag of the output; throws if any '<' or '>' is left that is not part of a well-formed tag. */
function tagsOf(html: string): Tag[] {
  const tags: Tag[] = [];
  const rest = html.replace(TAG, (_, slash: string, name: string, attrs: string) => {
    const attributes = new Map<string, string>();
    for (const match of attrs.matchAll(ATTRIBUTE)) {
      attributes.set(match[1]?.toLowerCase() ?? '', decodeEntities(match[2] ?? ''));
    }
    tags.push({ name: name.toLowerCase(), closing: slash === '/', attributes });
    return '';
  });
  assert.doesNotMatch(rest, /[<>]/, `text outside tags must be escaped in ${JSON.stringify(html)}`);
  return tags;
}

/** The safety invariants every rendered comment holds, whatever was typed. */
function assertSafe(source: string): string {
  let html = '';
  assert.doesNotThrow(
    () => {
      html = renderCommentHtml(source);
    },
    `rendering ${JSON.stringify(source)}`,
  );
  const where = `for ${JSON.stringify(source)} → ${JSON.stringify(html)}`;
  assert.doesNotMatch(html, /<script/i, where);
  assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, `event handler attribute ${where}`);
  for (const tag of tagsOf(html)) {
    assert.ok(ALLOWED_TAGS.has(tag.name), `<${tag.name}> is not allowed ${where}`);
    if (tag.closing) continue;
    const allowed = tag.name === 'a' ? ['href', 'rel', 'target'] : [];
    for (const [name] of tag.attributes) {
      assert.ok(allowed.includes(name), `attribute ${name} on <${tag.name}> ${where}`);
    }
    if (tag.name !== 'a') continue;
    assert.equal(tag.attributes.get('rel'), 'nofollow ugc noopener', where);
    assert.equal(tag.attributes.get('target'), '_blank', where);
    const href = tag.attributes.get('href');
    if (href !== undefined) {
      const squeezed = href.replace(/[\s\u0000-\u001F]/g, '').toLowerCase();
      assert.doesNotMatch(squeezed, /^(javascript|vbscript|data|file):/, `href ${where}`);
      // A relative reference is harmless; anything a browser would read as a scheme must be allowed.
      const scheme = /^[a-z][a-z0-9+.-]*:/.exec(squeezed)?.[0];
      if (scheme !== undefined) {
        assert.ok(ALLOWED_LINK_SCHEMES.includes(scheme), `href scheme ${scheme} ${where}`);
      }
    }
  }
  return html;
}

const linksIn = (html: string) => tagsOf(html).filter((t) => t.name === 'a' && !t.closing);

describe('renderCommentHtml renders the Markdown subset', () => {
  const cases: [string, string, string][] = [
    ['emphasis', 'Talks in *Beijing*', '<p>Talks in <em>Beijing</em></p>'],
    ['emphasis with underscores', '_quietly_', '<p><em>quietly</em></p>'],
    ['strong', 'a **firm** no', '<p>a <strong>firm</strong> no</p>'],
    [
      'link',
      '[the report](https://news.example/report?id=1&x=2)',
      `<p><a href="https://news.example/report?id=1&amp;x=2" ${REL}>the report</a></p>`,
    ],
    [
      'mailto link',
      '[write](mailto:desk@news.example)',
      `<p><a href="mailto:desk@news.example" ${REL}>write</a></p>`,
    ],
    [
      'autolinked URL',
      'see https://news.example/a for more',
      `<p>see <a href="https://news.example/a" ${REL}>https://news.example/a</a> for more</p>`,
    ],
    [
      'angle-bracket autolink',
      '<https://news.example>',
      `<p><a href="https://news.example" ${REL}>https://news.example</a></p>`,
    ],
    [
      'blockquote',
      '> she said so\n\nI disagree',
      '<blockquote>\n<p>she said so</p>\n</blockquote>\n<p>I disagree</p>',
    ],
    ['inline code', 'use `rm -rf` carefully', '<p>use <code>rm -rf</code> carefully</p>'],
    [
      'fenced code keeps its text escaped',
      '```\nif (a < b) {}\n```',
      '<pre><code>if (a &lt; b) {}\n</code></pre>',
    ],
    ['line breaks', 'first line\nsecond line', '<p>first line<br />\nsecond line</p>'],
    ['paragraphs', 'one\n\ntwo', '<p>one</p>\n<p>two</p>'],
    ['backslash escapes', '\\*not emphasis\\*', '<p>*not emphasis*</p>'],
  ];
  for (const [name, source, expected] of cases) {
    it(name, () => assert.equal(assertSafe(source), expected));
  }
});

describe('renderCommentHtml never makes raw HTML live', () => {
  const raw: [string, string][] = [
    ['<script>', '<script>alert(document.cookie)</script>'],
    ['<img onerror>', '<img src=x onerror=alert(1)>'],
    ['<iframe>', '<iframe src="https://evil.example"></iframe>'],
    ['<svg onload>', '<svg onload=alert(1)>'],
    ['<a href=javascript:>', '<a href="javascript:alert(1)">click</a>'],
    ['<style>', '<style>body { display: none }</style>'],
    ['<div> block', '<div onclick="alert(1)">\nhi\n</div>'],
  ];
  for (const [name, source] of raw) {
    it(name, () => {
      const html = assertSafe(source);
      const tag = /^<([a-z]+)/.exec(source)?.[1] ?? '';
      assert.ok(html.includes(`&lt;${tag}`), `${name} is shown as text: ${html}`);
      assert.ok(!tagsOf(html).some((t) => t.name === tag && tag !== 'a'), `${name} is not a tag`);
      if (tag === 'a') assert.equal(linksIn(html).length, 0, 'no link is made from raw <a>');
    });
  }
});

describe('renderCommentHtml refuses dangerous link schemes', () => {
  const sources = [
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](javascript&#58;alert(1))',
    '[x](&#x6A;avascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '[x](vbscript:msgbox(1))',
    '[x](VBScript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](data:image/svg+xml,<svg onload=alert(1)>)',
    '<javascript:alert(1)>',
    '<vbscript:msgbox(1)>',
    '<data:text/html,hi>',
  ];
  for (const source of sources) {
    it(source, () => {
      const html = assertSafe(source);
      assert.equal(
        linksIn(html).filter((a) => a.attributes.has('href')).length,
        0,
        `no link in ${html}`,
      );
    });
  }
});

describe('renderCommentHtml leaves other Markdown as text', () => {
  const cases: { name: string; source: string; forbidden: string[]; text: string }[] = [
    { name: 'ATX heading', source: '# Breaking news', forbidden: ['h1'], text: '# Breaking news' },
    { name: 'setext heading', source: 'Title\n=====', forbidden: ['h1'], text: '=====' },
    { name: 'bullet list', source: '- one\n- two', forbidden: ['ul', 'li'], text: '- one' },
    {
      name: 'ordered list',
      source: '1. first\n2. second',
      forbidden: ['ol', 'li'],
      text: '1. first',
    },
    {
      name: 'image',
      source: '![a cat](https://news.example/cat.png)',
      forbidden: ['img'],
      text: '!',
    },
    {
      name: 'table',
      source: '| a | b |\n|---|---|\n| 1 | 2 |',
      forbidden: ['table', 'tr', 'td', 'th'],
      text: '| a | b |',
    },
    { name: 'horizontal rule', source: 'above\n\n---\n\nbelow', forbidden: ['hr'], text: '---' },
    { name: 'strikethrough', source: '~~gone~~', forbidden: ['s', 'del'], text: '~~gone~~' },
  ];
  for (const { name, source, forbidden, text } of cases) {
    it(name, () => {
      const html = assertSafe(source);
      const names = tagsOf(html).map((t) => t.name);
      for (const tag of forbidden) assert.ok(!names.includes(tag), `<${tag}> in ${html}`);
      assert.ok(html.includes(text), `${JSON.stringify(text)} stays visible in ${html}`);
    });
  }
});

describe('renderCommentHtml on deep nesting', () => {
  for (const levels of [50, 10_000]) {
    it(`${levels} nested quotes do not throw and stay bounded`, () => {
      const html = assertSafe(`${'> '.repeat(levels)}deep`);
      const depth = tagsOf(html).filter((t) => t.name === 'blockquote' && !t.closing).length;
      assert.ok(depth >= 1, 'still a quote');
      assert.ok(depth <= 12, `nesting capped (got ${depth} levels)`);
      assert.ok(html.length < 2000, `output stays small (${html.length} chars)`);
    });
  }
});

/** A small seeded PRNG so the property run is repeatable. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('renderCommentHtml property: hostile input never yields unsafe HTML', () => {
  const hostile = [
    '<script>alert(1)</script>',
    '<ScRiPt>alert(1)</sCrIpT>',
    '<<script>script>alert(1)<</script>/script>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<img src=x onerror=alert(1)>',
    '<svg/onload=alert(1)>',
    '<body onload=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '<input autofocus onfocus=alert(1)>',
    '<iframe src=javascript:alert(1)>',
    '<object data="javascript:alert(1)">',
    '<embed src=x>',
    '<form action=javascript:alert(1)><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:/">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<!-- <script>alert(1)</script> -->',
    '<![CDATA[<script>alert(1)</script>]]>',
    '<scr\u0000ipt>alert(1)</script>',
    '[x](javascript:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](java%0ascript:alert(1))',
    '[x](\\javascript:alert(1))',
    '[x](file:///etc/passwd)',
    '[x](//evil.example)',
    '[x](https://ok.example/" onmouseover="alert(1))',
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    '[<img src=x onerror=alert(1)>](https://ok.example)',
    '[a](https://ok.example)[b](javascript:alert(1))',
    '![x](javascript:alert(1))',
    'https://ok.example/"onmouseover="alert(1)',
    'https://ok.example/<script>alert(1)</script>',
    'javascript:alert(1)',
    '`<script>alert(1)</script>`',
    '```html\n<script>alert(1)</script>\n```',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '\\<script>alert(1)\\</script>',
    '*'.repeat(5000),
    '['.repeat(5000),
    '`'.repeat(3000),
    'a_'.repeat(3000),
    '> '.repeat(500) + '<script>',
  ];
  const wrappers: ((s: string) => string)[] = [
    (s) => s,
    (s) => `> ${s}`,
    (s) => `*${s}*`,
    (s) => `**${s}**`,
    (s) => `[click](${s})`,
    (s) => `[${s}](https://ok.example)`,
    (s) => `\`${s}\``,
    (s) => `text\n${s}\nmore`,
    (s) => `${s}${s}`,
  ];

  it(`holds for ${hostile.length} payloads × ${wrappers.length} contexts`, () => {
    let checked = 0;
    for (const payload of hostile) {
      for (const wrap of wrappers) {
        assertSafe(wrap(payload));
        checked++;
      }
    }
    assert.equal(checked, hostile.length * wrappers.length);
  });

  it('holds for 500 random mixes of hostile fragments', () => {
    const fragments = [
      ...hostile.filter((h) => h.length < 200),
      '<',
      '>',
      '"',
      "'",
      '(',
      ')',
      '[',
      ']',
      '*',
      '_',
      '`',
      '\n',
      '> ',
      ' ',
      '&',
      '#',
      ':',
      '\\',
      'javascript:',
      'on',
      'error=',
      'href=',
      'https://ok.example',
      'data:',
      '\u0000',
      '\u200B',
    ];
    const random = mulberry32(20240501);
    for (let i = 0; i < 500; i++) {
      let source = '';
      const parts = 1 + Math.floor(random() * 12);
      for (let j = 0; j < parts; j++) source += fragments[Math.floor(random() * fragments.length)];
      assertSafe(source);
    }
  });

  it('renders pathological inputs quickly', () => {
    for (const payload of hostile.filter((h) => h.length > 1000)) {
      const started = performance.now();
      renderCommentHtml(payload);
      const elapsed = performance.now() - started;
      assert.ok(
        elapsed < 1000,
        `${JSON.stringify(payload.slice(0, 10))}… took ${elapsed.toFixed(0)} ms`,
      );
    }
  });
});
