/**
 * Moderators' alerts as chat messages (docs/notifications.md, "Moderator alerts"): the payloads
 * that Slack's, Microsoft Teams' and Discord's incoming webhooks accept, built from one
 * channel-independent `AlertMessage` by pure functions.
 *
 * Readers write the excerpts and names these messages carry, so each format is escaped its own way:
 *
 * - Slack: mrkdwn's three control characters `&`, `<` and `>` become entities, which also keeps a
 *   reader from writing a link or a `<!channel>` mention; `@channel`, `@here` and `@everyone` typed
 *   as words are broken with an invisible joiner. Link targets are our own URLs with `|` and `>`
 *   percent-encoded.
 * - Teams: an Adaptive Card whose reader-written text sits in `TextRun`s, which are never read as
 *   Markdown; only our own words go in `TextBlock`s.
 * - Discord: Markdown punctuation is escaped with backslashes (so no masked link, no heading, no
 *   autolinked address), and `allowed_mentions: { parse: [] }` tells Discord to ping nobody
 *   whatever the text says.
 *
 * Every text is cut to the length each service accepts.
 */

export type ChatFormat = 'slack' | 'teams' | 'discord';
export const CHAT_FORMATS = ['slack', 'teams', 'discord'] as const satisfies readonly ChatFormat[];

export type AlertKind = 'pending' | 'reported' | 'threshold' | 'spike' | 'digest' | 'test';

/** A comment an alert is about. */
export interface AlertItem {
  author: string;
  /** The comment as one line of plain text (cut). */
  excerpt: string;
  /** Why it was held, or what readers reported (plain text). */
  reason: string;
  /** Where to approve or reject it in the dashboard. */
  link: string;
  storyTitle: string;
  /** The comment on the article page. */
  permalink: string;
}

export interface AlertMessage {
  kind: AlertKind;
  siteName: string;
  /** The headline (plain text). */
  title: string;
  /** One sentence saying what happened (plain text); also the notification's preview. */
  summary: string;
  /**
   * How many: comments waiting (pending: the one held; digest: the new ones), the comment's open
   * reports (reported, threshold), comments in the hour (spike).
   */
  count: number;
  /** Figures shown under the summary ("Pending: 3 new, 7 waiting"). */
  facts: string[];
  items: AlertItem[];
  /** Items there were beyond those shown. */
  more: number;
  /** The dashboard (the queue, or the story) and what the button says. */
  link: string;
  linkLabel: string;
  /** The article, for spikes. */
  story?: { title: string; url: string };
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Cuts to `max` characters (code points), ending with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}

/** Control characters and invisible direction marks a chat message has no use for. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const clean = (text: string) => text.replace(CONTROLS, '');

/** `@channel`, `@here`, `@everyone` as typed words: a word joiner after the `@` defuses them. */
const defuseBroadcasts = (text: string) =>
  text.replace(/@(channel|here|everyone)\b/gi, '@\u2060$1');

/** Slack's mrkdwn escaping: the only three characters it reads as markup. */
export function slackEscape(text: string): string {
  return defuseBroadcasts(
    clean(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}

/** A URL inside Slack's `<url|label>`: the characters that would end it are percent-encoded. */
const slackUrl = (url: string) =>
  url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C').replace(/\s/g, '%20');

/** Cuts escaped mrkdwn, never leaving half an entity at the end. */
const slackCut = (escaped: string, max: number) => cut(escaped, max).replace(/&[a-z]{0,4}…$/, '…');

const slackLink = (url: string, label: string) => `<${slackUrl(url)}|${slackEscape(label)}>`;

/** Discord Markdown: every punctuation mark it could read is escaped with a backslash. */
export function discordEscape(text: string): string {
  return clean(text).replace(/[\\`*_~|<>[\]()#:@!-]/g, (c) => `\\${c}`);
}

/** A Discord masked link with our own URL (`)` and spaces encoded so it cannot end early). */
const discordLink = (url: string, label: string) =>
  `[${discordEscape(label)}](${url.replace(/\)/g, '%29').replace(/\s/g, '%20')})`;

// ---------------------------------------------------------------------------------------------
// Slack (Block Kit)

/** Block Kit limits: header 150, section text 3000, button text 75, button URL 3000, 50 blocks. */
export function slackPayload(message: AlertMessage): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(clean(message.title), 150) } },
  ];
  const summary = message.story
    ? `${slackEscape(message.summary)}\n${slackLink(message.story.url, message.story.title)}`
    : slackEscape(message.summary);
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackCut(summary, 3000) } });
  if (message.facts.length > 0) {
    blocks.push({
      type: 'context',
      elements: message.facts
        .slice(0, 10)
        .map((fact) => ({ type: 'mrkdwn', text: slackCut(slackEscape(fact), 2000) })),
    });
  }
  for (const item of message.items) {
    blocks.push({ type: 'divider' });
    const text =
      `*${slackEscape(cut(item.author, 80))}* on ${slackLink(item.permalink, cut(item.storyTitle, 150))}\n` +
      `>${slackEscape(cut(item.excerpt, 1500))}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackCut(text, 3000) } });
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: slackCut(slackEscape(item.reason), 2000) }],
    });
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Approve / reject in the dashboard' },
          url: item.link,
          style: 'primary',
        },
      ],
    });
  }
  if (message.more > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${message.more} more in the dashboard.` }],
    });
  }
  if (message.items.length !== 1) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: cut(message.linkLabel, 75) },
          url: message.link,
        },
      ],
    });
  }
  return {
    // The notification's text (and what clients without blocks show).
    text: slackCut(slackEscape(`${message.title}: ${message.summary}`), 3000),
    blocks: blocks.slice(0, 50),
    unfurl_links: false,
    unfurl_media: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Microsoft Teams (an Adaptive Card in a message, as Teams' incoming webhooks and Workflows take)

const textBlock = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'TextBlock',
  text: cut(clean(text), 2000),
  wrap: true,
  ...extra,
});

/** Text readers wrote: a TextRun is shown as it is, never read as Markdown. */
const plainRuns = (runs: { text: string; weight?: 'Bolder'; italic?: boolean }[]) => ({
  type: 'RichTextBlock',
  inlines: runs.map((run) => ({
    type: 'TextRun',
    text: cut(clean(run.text), 2000),
    ...(run.weight && { weight: run.weight }),
    ...(run.italic && { italic: true }),
  })),
});

export function teamsPayload(message: AlertMessage): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    plainRuns([{ text: message.title, weight: 'Bolder' }]),
    plainRuns([{ text: message.summary }]),
  ];
  if (message.story) {
    body.push({
      type: 'ActionSet',
      actions: [{ type: 'Action.OpenUrl', title: 'Open the article', url: message.story.url }],
    });
  }
  if (message.facts.length > 0) {
    body.push({
      type: 'FactSet',
      facts: message.facts.map((fact) => {
        const [title, ...rest] = fact.split(': ');
        return rest.length > 0
          ? { title: cut(clean(title ?? ''), 100), value: cut(clean(rest.join(': ')), 500) }
          : { title: '', value: cut(clean(fact), 500) };
      }),
    });
  }
  for (const item of message.items) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        plainRuns([
          { text: cut(item.author, 80), weight: 'Bolder' },
          { text: ` on ${cut(item.storyTitle, 150)}` },
        ]),
        plainRuns([{ text: cut(item.excerpt, 1500) }]),
        plainRuns([{ text: item.reason, italic: true }]),
        {
          type: 'ActionSet',
          actions: [
            { type: 'Action.OpenUrl', title: 'Approve / reject in the dashboard', url: item.link },
            { type: 'Action.OpenUrl', title: 'Open on the article', url: item.permalink },
          ],
        },
      ],
    });
  }
  if (message.more > 0) {
    body.push(textBlock(`…and ${message.more} more in the dashboard.`, { isSubtle: true }));
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions: [
            { type: 'Action.OpenUrl', title: cut(message.linkLabel, 75), url: message.link },
          ],
        },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Discord (content and embeds)

/** Discord's limits: content 2000, embed title 256, description 4096, 10 embeds, 6000 in all. */
export function discordPayload(message: AlertMessage): Record<string, unknown> {
  const head = cut(clean(message.title), 250);
  const summary = message.story
    ? `${discordEscape(message.summary)}\n${discordLink(message.story.url, message.story.title)}`
    : discordEscape(message.summary);
  const facts = message.facts.map((fact) => discordEscape(fact)).join('\n');
  const embeds: Record<string, unknown>[] = [
    {
      title: head,
      url: message.link,
      description: cut(
        `${summary}${facts ? `\n\n${facts}` : ''}\n\n${discordLink(message.link, message.linkLabel)}`,
        1500,
      ),
      color: 0xb45309,
    },
  ];
  for (const item of message.items.slice(0, 5)) {
    embeds.push({
      title: cut(clean(`${item.author} on ${item.storyTitle}`), 250),
      url: item.link,
      description: cut(
        `${discordEscape(cut(item.excerpt, 700))}\n\n*${discordEscape(cut(item.reason, 200))}*\n` +
          `${discordLink(item.link, 'Approve / reject in the dashboard')} · ` +
          discordLink(item.permalink, 'Open on the article'),
        1000,
      ),
      color: 0x1d4ed8,
    });
  }
  if (message.more > 0) {
    embeds.push({ description: `…and ${message.more} more in the dashboard.` });
  }
  return {
    content: cut(discordEscape(`${message.title}: ${message.summary}`), 300),
    embeds,
    // Nobody is pinged, whatever a reader wrote.
    allowed_mentions: { parse: [] },
    username: 'Parley',
  };
}

export function chatPayload(format: ChatFormat, message: AlertMessage): Record<string, unknown> {
  switch (format) {
    case 'teams':
      return teamsPayload(message);
    case 'discord':
      return discordPayload(message);
    default:
      return slackPayload(message);
  }
}
