/**
 * Pieces the copy of every language shares (./copy/<lang>.ts): choosing a plural form, and the
 * shape of the messages that list things (a digest's articles and their notifications, an
 * alert's comments), so that each language writes only its words and every language lays a list
 * out the same way.
 */
import type { Block, DigestItem, MailParams, MailLocale } from './templates.ts';

type PluralForm = Intl.LDMLPluralRule;

const rules = new Map<MailLocale, Intl.PluralRules>();

/**
 * The form of a count in a language (Arabic has six, Hebrew three, Chinese one): `forms` gives the
 * words for the forms the language uses; `other` is the fallback.
 */
export function plural(
  lang: MailLocale,
  n: number,
  forms: Partial<Record<PluralForm, string>> & { other: string },
): string {
  let rule = rules.get(lang);
  if (!rule) {
    rule = new Intl.PluralRules(lang);
    rules.set(lang, rule);
  }
  return forms[rule.select(n)] ?? forms.other;
}

export interface DigestWords {
  /** What happened, before the comment's excerpt ("Ana replied to your comment:"). */
  item: (item: DigestItem) => string;
  /** The link to one comment. */
  open: string;
  /** The link to the article for the notifications the cap left out. */
  moreOnStory: (n: number) => string;
  /** Notifications on articles not shown at all. */
  moreElsewhere: (n: number) => string;
}

/** A digest's body after its opening sentence: each article, its notifications, what was left out. */
export function digestBlocks(p: MailParams['notify-digest'], words: DigestWords): Block[] {
  const blocks: Block[] = [];
  for (const story of p.stories) {
    blocks.push({ heading: story.title, href: story.link });
    for (const item of story.items) {
      blocks.push(
        words.item(item),
        { quote: item.excerpt },
        { action: words.open, href: item.link },
      );
    }
    if (story.more > 0) blocks.push({ action: words.moreOnStory(story.more), href: story.link });
  }
  if (p.more > 0) blocks.push({ note: words.moreElsewhere(p.more) });
  return blocks;
}

export interface AlertWords {
  /** Who wrote the comment and why it needs a look ("Ana · held: link limit"). */
  item: (author: string, reason: string) => string;
  /** The link to review one comment. */
  review: string;
}

/** An alert's comments: each with its author, the reason, an excerpt and a link to review it. */
export function alertBlocks(p: MailParams['moderator-alert'], words: AlertWords): Block[] {
  return p.items.flatMap((item): Block[] => [
    words.item(item.author, item.reason),
    { quote: item.excerpt },
    { action: words.review, href: item.link },
  ]);
}
