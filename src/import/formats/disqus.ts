/**
 * Disqus's XML export: a `<disqus>` root holding `<category>`, `<thread>` and `<post>` elements as
 * siblings. Threads carry the article (`<link>`, `<title>`, the publisher's `<id>` identifier,
 * which is often empty, `<isClosed>`, `<isDeleted>`); posts point at their thread and parent by
 * `dsq:id` attributes on empty `<thread/>` and `<parent/>` elements, and carry the message as HTML,
 * `<isDeleted>`, `<isSpam>`, and an author who may be anonymous (a name, perhaps an address, no
 * username). Threads usually come before posts and parents before replies, but neither is
 * promised: the importer waits for what has not arrived yet.
 */
import type { SourceItem, SourceReader } from '../records.ts';
import { isTrue, parseExportDate, readXmlRecords, type XmlRecord } from './xml.ts';

function threadItem(record: XmlRecord): SourceItem {
  const id = record.attributes['dsq:id'] ?? '';
  const f = record.fields;
  if (!id) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: '',
      detail: `thread without dsq:id at line ${record.line}`,
    };
  }
  if (isTrue(f.get('isDeleted'))) {
    return { kind: 'skip', reason: 'deleted', sourceId: id, detail: 'thread deleted in Disqus' };
  }
  return {
    kind: 'story',
    story: {
      sourceId: id,
      url: f.get('link')?.trim() || null,
      identifier: f.get('id')?.trim() || null,
      title: f.get('title')?.trim() || null,
      closed: isTrue(f.get('isClosed')),
      createdAt: parseExportDate(f.get('createdAt')),
    },
  };
}

function postItem(record: XmlRecord): SourceItem {
  const id = record.attributes['dsq:id'] ?? '';
  const f = record.fields;
  const thread = f.get('thread@dsq:id') ?? '';
  if (!id || !thread) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: id,
      detail: `post without ${id ? 'a thread' : 'dsq:id'} at line ${record.line}`,
    };
  }
  const createdAt = parseExportDate(f.get('createdAt'));
  if (!createdAt) {
    return {
      kind: 'skip',
      reason: 'invalid',
      sourceId: id,
      detail: `post without a valid createdAt at line ${record.line}`,
    };
  }
  const username = f.get('author/username')?.trim();
  const email = f.get('author/email')?.trim() || null;
  const name = f.get('author/name')?.trim() || username || 'Anonymous';
  const key = username
    ? `user:${username}`
    : email
      ? `email:${email.toLowerCase()}`
      : `name:${name}`;
  const state = isTrue(f.get('isDeleted'))
    ? 'deleted'
    : isTrue(f.get('isSpam'))
      ? 'spam'
      : f.has('isApproved') && !isTrue(f.get('isApproved'))
        ? 'pending'
        : 'approved';
  return {
    kind: 'comment',
    comment: {
      sourceId: id,
      storySourceId: thread,
      parentSourceId: f.get('parent@dsq:id') || null,
      author: { key, name, email },
      createdAt,
      body: { format: 'html', value: f.get('message') ?? '' },
      state,
      likes: Math.max(0, Number.parseInt(f.get('likes') ?? '0', 10) || 0),
      ip: f.get('ipAddress')?.trim() || null,
    },
  };
}

export const readDisqus: SourceReader = (file, progress) =>
  readXmlRecords<SourceItem>(
    file,
    progress,
    {
      expected: 'a Disqus export (<disqus> root element)',
      checkRoot: (name) =>
        name === 'disqus'
          ? undefined
          : `expected a Disqus export (<disqus> root element) but found <${name}>` +
            (name === 'rss' ? ': for a WordPress (WXR) file use `parley import wordpress`' : ''),
      isRecord: (path) => path.length === 2 && (path[1] === 'thread' || path[1] === 'post'),
    },
    (record, out) => out.push(record.name === 'thread' ? threadItem(record) : postItem(record)),
  );
