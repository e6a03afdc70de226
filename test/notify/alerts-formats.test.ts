/**
 * The chat payloads of moderators' alerts (src/notify/chat-formats.ts), built from hostile text:
 * Slack's mrkdwn control characters become entities (no reader-made link or `<!channel>`), typed
 * broadcast mentions are defused; Teams gets reader text only in TextRuns (never Markdown);
 * Discord's Markdown is escaped and nobody is pinged; every text fits each service's limits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chatPayload,
  discordEscape,
  slackEscape,
  type AlertItem,
  type AlertMessage,
} from '../../src/notify/chat-formats.ts';

const hostile =
  '<!channel> <https://evil.example|click> & *bold* [x](https://evil.example) @everyone \u0007\u202e';

function item(overrides: Partial<AlertItem> = {}): AlertItem {
  return {
    author: 'Eve <b>',
    excerpt: hostile,
    reason: 'Held: links & <tags>',
    link: 'https://parley.example/admin/queues/pending?site=S&comment=C',
    storyTitle: 'Budget | talks >',
    permalink: 'https://news.example/story#parley-comment-C',
    ...overrides,
  };
}

function message(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    kind: 'pending',
    siteName: 'Test News',
    title: 'Comment held for review on Test News',
    summary: 'Eve <b> wrote a comment that waits for a moderator.',
    count: 1,
    facts: [],
    items: [item()],
    more: 0,
    link: 'https://parley.example/admin/queues/pending?site=S',
    linkLabel: 'Open the queue in the dashboard',
    ...overrides,
  };
}

describe('Slack payloads', () => {
  it('escapes &, < and >, defuses broadcasts and drops control characters', () => {
    assert.equal(
      slackEscape('<!here> a & b > c @channel @Here \u0001'),
      '&lt;!here&gt; a &amp; b &gt; c @\u2060channel @\u2060Here ',
    );
    const payload = chatPayload('slack', message());
    const json = JSON.stringify(payload);
    assert.ok(!json.includes('<!channel>'));
    assert.ok(!json.includes('<https://evil.example'));
    assert.ok(!json.includes('\u0007') && !json.includes('\u202e'));
    const blocks = payload.blocks as { type: string; text?: { type: string; text: string } }[];
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['header', 'section', 'divider', 'section', 'context', 'actions'],
    );
    assert.equal(blocks[0]?.text?.type, 'plain_text');
    const section = blocks[3]?.text?.text ?? '';
    assert.ok(
      section.startsWith(
        '*Eve &lt;b&gt;* on <https://news.example/story#parley-comment-C|Budget | talks &gt;>',
      ),
      section,
    );
    assert.ok(
      section.includes('&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp;'),
      section,
    );
  });

  it('keeps within Block Kit limits', () => {
    const long = 'word & '.repeat(2000);
    const items = Array.from({ length: 30 }, () => item({ excerpt: long, author: long }));
    const payload = chatPayload(
      'slack',
      message({ kind: 'digest', title: long, items, facts: [long] }),
    );
    const blocks = payload.blocks as { type: string; text?: { text: string } }[];
    assert.ok(blocks.length <= 50);
    assert.ok((blocks[0]?.text?.text.length ?? 0) <= 150);
    for (const block of blocks) {
      const text = block.text?.text ?? '';
      assert.ok(text.length <= 3000, `${text.length}`);
      assert.ok(!/&[a-z]{0,4}…$/.test(text), 'no entity cut in half');
    }
    assert.ok((payload.text as string).length <= 3000);
  });
});

describe('Teams payloads', () => {
  it('puts reader text in TextRuns only, in an Adaptive Card message', () => {
    const payload = chatPayload('teams', message()) as {
      type: string;
      attachments: { contentType: string; content: Record<string, unknown> }[];
    };
    assert.equal(payload.type, 'message');
    const [attachment] = payload.attachments;
    assert.equal(attachment?.contentType, 'application/vnd.microsoft.card.adaptive');
    const card = attachment?.content as {
      type: string;
      version: string;
      body: unknown[];
      actions: { url: string }[];
    };
    assert.equal(card.type, 'AdaptiveCard');
    assert.equal(card.actions[0]?.url, 'https://parley.example/admin/queues/pending?site=S');
    // Every TextBlock (read as Markdown) holds only our own words.
    const blocks: string[] = [];
    const runs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.type === 'TextBlock') blocks.push(String(record.text));
      if (record.type === 'TextRun') runs.push(String(record.text));
      Object.values(record).forEach(walk);
    };
    walk(card.body);
    for (const text of blocks) assert.ok(!text.includes('evil'), text);
    assert.ok(
      runs.includes(
        '<!channel> <https://evil.example|click> & *bold* [x](https://evil.example) @everyone ',
      ),
    );
  });
});

describe('Discord payloads', () => {
  it('escapes Markdown and pings nobody', () => {
    assert.equal(
      discordEscape('*a* _b_ [c](d) @everyone <@1> `e` #f -g'),
      '\\*a\\* \\_b\\_ \\[c\\]\\(d\\) \\@everyone \\<\\@1\\> \\`e\\` \\#f \\-g',
    );
    const payload = chatPayload('discord', message());
    assert.deepEqual(payload.allowed_mentions, { parse: [] });
    const embeds = payload.embeds as { title?: string; description?: string; url?: string }[];
    assert.ok(embeds.length <= 10);
    const description = embeds[1]?.description ?? '';
    assert.ok(!/[^\\]\[x\]\(https/.test(description), 'no masked link from the reader');
    assert.ok(description.includes('\\@everyone'));
    assert.ok(
      description.includes(
        '[Approve / reject in the dashboard](https://parley.example/admin/queues/pending?site=S&comment=C)',
      ),
    );
    const total = embeds.reduce(
      (n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0),
      0,
    );
    assert.ok(total <= 6000);
    assert.ok((payload.content as string).length <= 2000);
  });
});
