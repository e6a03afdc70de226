/**
 * Imported comments arrive as HTML (Disqus, WordPress, Coral, Remark42); Parley stores what a
 * commenter would have typed, its Markdown subset, and renders it through the one path every
 * comment takes (src/domain/markdown.ts). This turns HTML into that subset: paragraphs, line
 * breaks, links, emphasis, strong, quotes, inline code and code blocks are kept; every other
 * element gives its text; scripts, styles and embedded objects give nothing. The source's
 * markup is never passed through: whatever it holds is text once converted, escaped so that it
 * reads as written.
 *
 * The HTML is read by htmlparser2 (the parser sanitize-html itself uses), event by event, with
 * no DOM. Turndown, the usual choice, builds a DOM per comment and took 132 µs for a two-paragraph
 * comment on this machine against about 10 µs here, which alone would have capped an import at
 * 7,500 comments a second; the subset is small enough that its rules fit on this page.
 */
import { Parser } from 'htmlparser2';

/** Elements whose content is never text a reader wrote. */
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'iframe',
  'object',
  'embed',
  'noscript',
  'head',
  'title',
  'svg',
  'math',
  'select',
  'textarea',
]);

/** Elements that end one block of text and start another. */
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'table',
  'tr',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'hr',
]);

const EMPHASIS: Record<string, string> = { em: '*', i: '*', strong: '**', b: '**' };

/** Quotes nested deeper than this are shown at this depth (markdown-it's nesting limit is 12). */
const MAX_QUOTE_DEPTH = 4;

/** Characters that would otherwise be read as Markdown. */
const SPECIAL = /[\\`*_[\]]/g;

function escapeText(text: string): string {
  // A web address is left as written: linkify turns it into a link, and a backslash added inside
  // one would become part of it.
  return text
    .split(/(\bhttps?:\/\/\S+)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(SPECIAL, '\\$&')))
    .join('');
}

function isSafeHref(href: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(href.trim());
}

/** A destination markdown-it reads back as the same address (spaces and brackets encoded). */
function destination(href: string): string {
  return href
    .trim()
    .replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function codeSpan(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

interface Open {
  tag: string;
  /** Where the element's text starts in the current line. */
  start: number;
  href?: string;
}

export interface HtmlToMarkdownOptions {
  /**
   * Newlines in text are line breaks (WordPress stores comments as typed, with newlines, and adds
   * paragraphs only when showing them); otherwise they are spaces, as HTML has them.
   */
  newlinesAreBreaks?: boolean;
}

export function htmlToMarkdown(html: string, options: HtmlToMarkdownOptions = {}): string {
  const blocks: string[] = [];
  let line = '';
  let quoteDepth = 0;
  let dropping = 0;
  let pre: string | null = null;
  let code: string | null = null;
  const open: Open[] = [];

  const flush = () => {
    const text = line
      .split('\n')
      .map((l) => l.trim())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    line = '';
    open.length = 0;
    if (!text) return;
    const prefix = '> '.repeat(Math.min(quoteDepth, MAX_QUOTE_DEPTH));
    blocks.push(
      prefix
        ? text
            .split('\n')
            .map((l) => (l ? prefix + l : prefix.trimEnd()))
            .join('\n')
        : text,
    );
  };

  const append = (text: string) => {
    // Whitespace collapses as HTML collapses it; a line never starts with spaces (four would make
    // a code block).
    const collapsed = options.newlinesAreBreaks
      ? text.replace(/[^\S\n]+/g, ' ').replace(/ *\n */g, '\n')
      : text.replace(/\s+/g, ' ');
    const joined =
      line.endsWith(' ') || line.endsWith('\n') || line === ''
        ? collapsed.replace(/^ /, '')
        : collapsed;
    line += escapeText(joined);
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (dropping > 0 || DROPPED.has(name)) {
          if (DROPPED.has(name)) dropping++;
          return;
        }
        if (pre !== null) {
          if (name === 'br') pre += '\n';
          return;
        }
        if (code !== null) return;
        if (name === 'br') {
          line += '\n';
        } else if (name === 'blockquote') {
          flush();
          quoteDepth++;
        } else if (name === 'pre') {
          flush();
          pre = '';
        } else if (name === 'code') {
          code = '';
        } else if (BLOCKS.has(name)) {
          flush();
          if (name === 'li') line = '- ';
        } else if (EMPHASIS[name] || name === 'a') {
          open.push({ tag: name, start: line.length, href: attributes.href });
        } else if (name === 'img' && attributes.alt) {
          append(attributes.alt);
        }
      },
      ontext(text) {
        if (dropping > 0) return;
        if (pre !== null) pre += text;
        else if (code !== null) code += text;
        else append(text);
      },
      onclosetag(name) {
        if (DROPPED.has(name)) {
          dropping = Math.max(0, dropping - 1);
          return;
        }
        if (dropping > 0) return;
        if (name === 'pre' && pre !== null) {
          const body = pre.replace(/^\n/, '').replace(/\s+$/, '');
          const text = code ?? '';
          code = null;
          const content = body || text;
          pre = null;
          if (content) {
            const runs = content.match(/^`{3,}/gm) ?? [];
            const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
            // Pushed as it is: a code block keeps its lines' indentation.
            const prefix = '> '.repeat(Math.min(quoteDepth, MAX_QUOTE_DEPTH));
            blocks.push(
              `${fence}\n${content}\n${fence}`
                .split('\n')
                .map((l) => prefix + l)
                .join('\n'),
            );
          }
          return;
        }
        if (pre !== null) return;
        if (name === 'code' && code !== null) {
          const text = code.replace(/\s+/g, ' ').trim();
          code = null;
          if (text) line += codeSpan(text);
          return;
        }
        if (name === 'blockquote') {
          flush();
          quoteDepth = Math.max(0, quoteDepth - 1);
          return;
        }
        if (BLOCKS.has(name)) {
          flush();
          return;
        }
        const marker = EMPHASIS[name];
        if (!marker && name !== 'a') return;
        let index = -1;
        for (let i = open.length - 1; i >= 0; i--) {
          if (open[i]?.tag === name) {
            index = i;
            break;
          }
        }
        const element = open[index];
        if (!element) return;
        open.length = index;
        const before = line.slice(0, element.start);
        const inner = line.slice(element.start);
        const content = inner.trim();
        if (!content) return;
        const lead = inner.startsWith(' ') ? ' ' : '';
        const trail = inner.endsWith(' ') ? ' ' : '';
        if (marker) {
          line = `${before}${lead}${marker}${content}${marker}${trail}`;
        } else if (element.href && isSafeHref(element.href)) {
          const href = element.href.trim();
          line =
            content === escapeText(href)
              ? `${before}${lead}${href}${trail}`
              : `${before}${lead}[${content}](${destination(href)})${trail}`;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  if (pre !== null) {
    line += escapeText(pre);
    pre = null;
  }
  if (code !== null) line += escapeText(code);
  flush();
  return blocks.join('\n\n');
}

/** Plain text as Markdown that renders back to the same text (line breaks kept). */
export function textToMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => escapeText(l.trim()))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
