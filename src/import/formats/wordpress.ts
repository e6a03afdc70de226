/**
 * WordPress eXtended RSS (WXR), WordPress's export and the format Disqus also imports: an RSS
 * `<channel>` of `<item>`s (posts, pages, attachments…), each with its `<wp:comment>` elements.
 * An item's own fields (`<title>`, `<link>`, `<wp:post_id>`, `<wp:comment_status>`) come before
 * its comments, so the story is announced when its first comment starts; items without comments
 * give nothing. Comment content is HTML as the author typed it, newlines included (WordPress adds
 * paragraphs only when displaying), and pingbacks and trackbacks are not comments.
 */
import type { SourceItem, SourceReader, SourceState, SourceStory } from '../records.ts';
import { parseExportDate, readXmlRecords, type XmlRecord } from './xml.ts';

const STATES: Record<string, SourceState> = {
  '1': 'approved',
  approve: 'approved',
  approved: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'deleted',
  'post-trashed': 'deleted',
};

interface Item {
  fields: Map<string, string>;
  announced: boolean;
}

function storyOf(item: Item): SourceStory {
  const f = item.fields;
  const link = f.get('link')?.trim() || null;
  return {
    sourceId: f.get('wp:post_id')?.trim() ?? '',
    url: link,
    identifier: null,
    title: f.get('title')?.trim() || null,
    closed: f.get('wp:comment_status')?.trim() === 'closed',
    createdAt: parseExportDate(f.get('wp:post_date_gmt')) ?? parseExportDate(f.get('wp:post_date')),
  };
}

function commentItem(record: XmlRecord, storyId: string): SourceItem {
  const f = record.fields;
  const id = f.get('wp:comment_id')?.trim() ?? '';
  if (!id) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: '',
      detail: `comment without wp:comment_id at line ${record.line}`,
    };
  }
  const type = f.get('wp:comment_type')?.trim() ?? '';
  if (type === 'pingback' || type === 'trackback') {
    return { kind: 'skip', reason: 'not_a_comment', sourceId: id, detail: `a ${type}` };
  }
  const createdAt =
    parseExportDate(f.get('wp:comment_date_gmt')) ?? parseExportDate(f.get('wp:comment_date'));
  if (!createdAt) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: id,
      detail: `comment without a valid date at line ${record.line}`,
    };
  }
  const approved = f.get('wp:comment_approved')?.trim() ?? '1';
  const state = STATES[approved];
  if (!state) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: id,
      detail: `unknown comment_approved "${approved}"`,
    };
  }
  const userId = f.get('wp:comment_user_id')?.trim();
  const email = f.get('wp:comment_author_email')?.trim() || null;
  const name = f.get('wp:comment_author')?.trim() || 'Anonymous';
  const parent = f.get('wp:comment_parent')?.trim();
  return {
    kind: 'comment',
    comment: {
      sourceId: id,
      storySourceId: storyId,
      parentSourceId: parent && parent !== '0' ? parent : null,
      author: {
        key:
          userId && userId !== '0'
            ? `user:${userId}`
            : email
              ? `email:${email.toLowerCase()}`
              : `name:${name}`,
        name,
        email,
      },
      createdAt,
      body: { format: 'html', value: f.get('wp:comment_content') ?? '' },
      state,
      likes: 0,
      ip: f.get('wp:comment_author_IP')?.trim() || null,
    },
  };
}

export const readWordPress: SourceReader = (file, progress) => {
  let item: Item | null = null;
  return readXmlRecords<SourceItem>(
    file,
    progress,
    {
      expected: 'a WordPress export (WXR: <rss> with <channel> and <item> elements)',
      checkRoot: (name) =>
        name === 'rss'
          ? undefined
          : `expected a WordPress export (WXR, <rss> root element) but found <${name}>` +
            (name === 'disqus' ? ': for a Disqus export use `parley import disqus`' : ''),
      isRecord: (path) => path.length === 4 && path[2] === 'item' && path[3] === 'wp:comment',
      onOutside: (event, path) => {
        if (path.length === 3 && path[2] === 'item') {
          item = event === 'open' ? { fields: new Map(), announced: false } : null;
        }
      },
      collectOutside: (path, text) => {
        if (item && path.length === 4 && path[2] === 'item') item.fields.set(path[3] ?? '', text);
      },
    },
    (record, out) => {
      const current = item;
      if (!current) return;
      const story = storyOf(current);
      if (!story.sourceId) {
        out.push({
          kind: 'skip',
          reason: 'unknown_thread',
          sourceId: record.fields.get('wp:comment_id') ?? '',
          detail: `item without wp:post_id at line ${record.line}`,
        });
        return;
      }
      if (!current.announced) {
        current.announced = true;
        out.push({ kind: 'story', story });
      }
      out.push(commentItem(record, story.sourceId));
    },
  );
};
