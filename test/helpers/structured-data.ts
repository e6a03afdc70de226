/**
 * A small validator of the schema.org structured data Parley writes (docs/server-rendering.md),
 * written for these tests: the properties Google's discussion forum guidelines require of a
 * `DiscussionForumPosting` and of each `Comment` (an author with a name, the date published, the
 * text), and the shapes of what we add (absolute addresses, ISO 8601 dates, interaction counters,
 * nested comments). It answers with every problem found, each with where it is, so that a test
 * can show a broken document failing for the right reason.
 */

export interface Problem {
  /** Where, as a path from the document's root: `comment[2].author.name`. */
  path: string;
  message: string;
}

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmpty = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

/** ISO 8601 date-time with a zone (what schema.org's DateTime asks for, and Google checks). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function absoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const AGENT_TYPES = new Set(['Person', 'Organization']);
const INTERACTION_TYPES = new Set([
  'https://schema.org/LikeAction',
  'https://schema.org/DislikeAction',
  'https://schema.org/CommentAction',
  'https://schema.org/WriteAction',
]);

class Checker {
  readonly problems: Problem[] = [];

  fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  agent(value: unknown, path: string): void {
    const agents = Array.isArray(value) ? value : [value];
    if (value === undefined || agents.length === 0) return this.fail(path, 'author is required');
    agents.forEach((agent, index) => {
      const at = Array.isArray(value) ? `${path}[${index}]` : path;
      if (!isNode(agent)) return this.fail(at, 'author must be a Person or Organization');
      if (!AGENT_TYPES.has(agent['@type'] as string)) {
        this.fail(`${at}.@type`, 'author must be a Person or Organization');
      }
      if (!nonEmpty(agent.name)) this.fail(`${at}.name`, "the author's name is required");
      if (agent.url !== undefined && !absoluteUrl(agent.url)) {
        this.fail(`${at}.url`, 'must be an absolute http(s) URL');
      }
    });
  }

  date(value: unknown, path: string, required: boolean): void {
    if (value === undefined) {
      if (required) this.fail(path, 'is required');
      return;
    }
    if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
      this.fail(path, 'must be an ISO 8601 date-time with a time zone');
    }
  }

  counters(value: unknown, path: string): void {
    if (value === undefined) return;
    const list = Array.isArray(value) ? value : [value];
    list.forEach((counter, index) => {
      const at = Array.isArray(value) ? `${path}[${index}]` : path;
      if (!isNode(counter) || counter['@type'] !== 'InteractionCounter') {
        return this.fail(at, 'must be an InteractionCounter');
      }
      if (!INTERACTION_TYPES.has(counter.interactionType as string)) {
        this.fail(`${at}.interactionType`, 'must name a schema.org action');
      }
      const count = counter.userInteractionCount;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
        this.fail(`${at}.userInteractionCount`, 'must be a whole number, 0 or more');
      }
    });
  }

  /** What a posting and a comment share: author, date, text (or media), address, counters. */
  content(node: Node, path: string): void {
    this.agent(node.author, `${path}.author`);
    this.date(node.datePublished, `${path}.datePublished`, true);
    this.date(node.dateModified, `${path}.dateModified`, false);
    if (!nonEmpty(node.text) && node.image === undefined && node.video === undefined) {
      this.fail(`${path}.text`, 'text (or an image or video) is required');
    }
    if (node.url !== undefined && !absoluteUrl(node.url)) {
      this.fail(`${path}.url`, 'must be an absolute http(s) URL');
    }
    this.counters(node.interactionStatistic, `${path}.interactionStatistic`);
    if (node.comment !== undefined) {
      if (!Array.isArray(node.comment)) return this.fail(`${path}.comment`, 'must be a list');
      node.comment.forEach((item, index) => this.comment(item, `${path}.comment[${index}]`));
    }
  }

  comment(value: unknown, path: string): void {
    if (!isNode(value) || value['@type'] !== 'Comment') {
      return this.fail(path, 'must be a Comment');
    }
    this.content(value, path);
  }
}

/** Every problem of a `DiscussionForumPosting` document (an empty list: valid). */
export function validateDiscussion(document: unknown): Problem[] {
  const checker = new Checker();
  if (!isNode(document)) {
    checker.fail('', 'the document must be a JSON object');
    return checker.problems;
  }
  const context = document['@context'];
  if (context !== 'https://schema.org' && context !== 'http://schema.org') {
    checker.fail('@context', 'must be https://schema.org');
  }
  if (document['@type'] !== 'DiscussionForumPosting') {
    checker.fail('@type', 'must be DiscussionForumPosting');
  }
  checker.content(document, '');
  if (!nonEmpty(document.headline)) checker.fail('.headline', 'is recommended and missing');
  if (document.url === undefined) checker.fail('.url', 'is recommended and missing');
  return checker.problems.map((problem) => ({
    ...problem,
    path: problem.path.replace(/^\./, ''),
  }));
}

/** The JSON-LD documents of an HTML page or fragment, parsed. */
export function jsonLdOf(html: string): unknown[] {
  const found: unknown[] = [];
  for (const match of html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)) {
    found.push(JSON.parse(match[1] ?? ''));
  }
  return found;
}
