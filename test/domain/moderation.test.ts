/**
 * The moderation pipeline and its phases, as pure functions: what each phase decides, in which
 * order, and how holds, rejections and refusals combine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { moderate } from '../../src/domain/moderation/pipeline.ts';
import {
  CLASSIFIER_LABELS,
  type Classifier,
  type ClassifierLabel,
  type WordWeight,
} from '../../src/domain/moderation/phases/classifier.ts';
import { moderationPhases } from '../../src/domain/moderation/phases/index.ts';
import { moderationInput, type InputOverrides } from '../helpers/moderation.ts';

const input = moderationInput;
type Overrides = InputOverrides;

const NONE = Object.fromEntries(CLASSIFIER_LABELS.map((label) => [label, 0])) as Record<
  ClassifierLabel,
  number
>;

/** A classifier that returns fixed scores, to drive the phase's thresholds. */
function fixed(scores: Partial<Record<ClassifierLabel, number>>): Classifier {
  return {
    classify: () => ({
      scores: { ...NONE, ...scores },
      language: 'en',
      model: 'test-1',
    }),
  };
}

/** `fixed`, and able to say which words drove the scores (counting its calls). */
function explaining(scores: Partial<Record<ClassifierLabel, number>>, words: WordWeight[]) {
  const calls: string[] = [];
  const classifier: Classifier = {
    ...fixed(scores),
    explain: (text) => {
      calls.push(text);
      return words;
    },
  };
  return { classifier, calls };
}

const run = (overrides: Overrides, classifier?: Classifier) =>
  moderate(moderationPhases({ classifier }), input(overrides));

describe('moderation pipeline', () => {
  it('approves an ordinary comment with no reasons', async () => {
    const outcome = await run({});
    assert.equal(outcome.decision, 'approved');
    assert.deepEqual(outcome.reasons, []);
    assert.equal(outcome.decidedBy, null);
  });

  const refusals: [string, Overrides, string][] = [
    ['a closed story', { story: { closed: true } }, 'STORY_CLOSED'],
    ['a site with commenting off', { settings: { commentingDisabled: true } }, 'STORY_CLOSED'],
    [
      'an author with an unacknowledged warning',
      { author: { unacknowledgedWarning: 'Keep it civil.' } },
      'WARNING_UNACKNOWLEDGED',
    ],
    ['a banned author', { author: { banned: true } }, 'AUTHOR_BANNED'],
    [
      'a suspended author',
      { author: { suspendedUntil: '2026-11-29T00:00:00Z' } },
      'AUTHOR_SUSPENDED',
    ],
    ['a too short comment', { body: 'k' }, 'TEXT_TOO_SHORT'],
    ['a too long comment', { body: 'x'.repeat(501) }, 'TEXT_TOO_LONG'],
    ['a repeat', { history: { sameBodyWithinWindow: 1 } }, 'DUPLICATE_COMMENT'],
  ];
  for (const [what, overrides, code] of refusals) {
    it(`refuses ${what} with ${code}`, async () => {
      const outcome = await run(overrides);
      assert.equal(outcome.decision, 'rejected');
      assert.equal(outcome.refuse?.code, code);
    });
  }

  it('lets a suspension that has ended pass', async () => {
    const outcome = await run({ author: { suspendedUntil: '2026-11-28T11:00:00Z' } });
    assert.equal(outcome.decision, 'approved');
  });

  it('closes a story the set number of days after it was published, and not before', async () => {
    const closeAfterDays = 7;
    const now = new Date('2026-11-28T12:00:00Z');
    const young = await run({
      settings: { closeAfterDays },
      story: { openedAt: '2026-11-22T12:00:00Z' },
      now,
    });
    assert.equal(young.refuse, undefined);
    const old = await run({
      settings: { closeAfterDays },
      story: { openedAt: '2026-11-20T12:00:00Z' },
      now,
    });
    assert.equal(old.refuse?.code, 'STORY_CLOSED');
    assert.match(old.refuse?.message ?? '', /7 days/);
    const never = await run({ story: { openedAt: '2020-01-01T00:00:00Z' }, now });
    assert.equal(never.refuse, undefined, '0 days: never closes by age');
  });

  it('checks the closed story before anything else', async () => {
    const outcome = await run({ story: { closed: true }, author: { banned: true }, body: 'k' });
    assert.equal(outcome.refuse?.code, 'STORY_CLOSED');
    assert.equal(outcome.decidedBy, 'storyClosed');
  });

  const holds: [string, Overrides, string][] = [
    ['the whole site is pre-moderated', { settings: { premoderateAll: true } }, 'PREMOD_SITE'],
    ['the story is pre-moderated', { story: { premoderated: true } }, 'PREMOD_STORY'],
    ['the author is always pre-moderated', { author: { alwaysPremoderate: true } }, 'PREMOD_USER'],
    [
      'the author is new',
      { settings: { premoderateNewCommenters: 3 }, author: { approvedCount: 2 } },
      'PREMOD_NEW_COMMENTER',
    ],
    ['the author posts too fast', { history: { postsLastMinute: 5 } }, 'POSTING_RATE'],
    [
      'links are held',
      {
        body: 'See https://example.org/report',
        settings: { links: { holdLinks: true, allowDomains: [], denyDomains: [] } },
      },
      'LINKS_HELD',
    ],
  ];
  for (const [what, overrides, code] of holds) {
    it(`holds a comment when ${what}`, async () => {
      const outcome = await run(overrides);
      assert.equal(outcome.decision, 'pending');
      assert.deepEqual(
        outcome.reasons.map((r) => r.code),
        [code],
      );
    });
  }

  it('exempts staff from pre-moderation and the posting rate', async () => {
    const outcome = await run({
      author: { role: 'staff', approvedCount: 0, alwaysPremoderate: true },
      settings: { premoderateAll: true, premoderateNewCommenters: 5 },
      history: { postsLastMinute: 50 },
    });
    assert.equal(outcome.decision, 'approved');
  });

  it('a new commenter graduates with enough approved comments', async () => {
    const outcome = await run({
      settings: { premoderateNewCommenters: 3 },
      author: { approvedCount: 3 },
    });
    assert.equal(outcome.decision, 'approved');
  });

  it('allows links to allowed domains and their subdomains while holding others', async () => {
    const policy = { holdLinks: true, allowDomains: ['example.org'], denyDomains: [] };
    const allowed = await run({
      body: 'Read https://news.example.org/a and [this](https://example.org/b)',
      settings: { links: policy },
    });
    assert.equal(allowed.decision, 'approved');
    const held = await run({
      body: 'Read https://example.org.evil.test/a',
      settings: { links: policy },
    });
    assert.equal(held.decision, 'pending');
  });

  it('rejects links to denied domains, even written as bare domains', async () => {
    const policy = { holdLinks: false, allowDomains: [], denyDomains: ['spamshop.com'] };
    for (const body of ['buy at https://deals.spamshop.com/x', 'buy at www.spamshop.com now']) {
      const outcome = await run({ body, settings: { links: policy } });
      assert.equal(outcome.decision, 'rejected', body);
      assert.equal(outcome.reasons[0]?.code, 'LINK_DENIED');
    }
  });

  it('holds above the classifier hold threshold and stores the scores and model', async () => {
    const outcome = await run({}, fixed({ toxicity: 0.8 }));
    assert.equal(outcome.decision, 'pending');
    assert.equal(outcome.scores.toxicity, 0.8);
    assert.ok(outcome.tags.includes('model:test-1'));
    assert.equal(outcome.reasons[0]?.code, 'CLASSIFIER_HOLD');
  });

  it('rejects only at the much higher threshold', async () => {
    const outcome = await run({}, fixed({ threat: 0.97 }));
    assert.equal(outcome.decision, 'rejected');
    assert.equal(outcome.reasons[0]?.code, 'CLASSIFIER_REJECT');
  });

  it('never rejects on identity_attack alone: it holds for a person to decide', async () => {
    const outcome = await run({}, fixed({ identity_attack: 0.99 }));
    assert.equal(outcome.decision, 'pending');
  });

  it('lets a later rejection win over an earlier hold, keeping both reasons', async () => {
    const outcome = await run(
      {
        body: 'See https://elsewhere.test/x',
        settings: { links: { holdLinks: true, allowDomains: [], denyDomains: [] } },
      },
      fixed({ spam: 0.99 }),
    );
    assert.equal(outcome.decision, 'rejected');
    assert.deepEqual(
      outcome.reasons.map((r) => r.code),
      ['LINKS_HELD', 'CLASSIFIER_REJECT'],
    );
  });

  it('stores all seven scores', async () => {
    const outcome = await run({}, fixed({ insult: 0.3, profanity: 0.2 }));
    assert.deepEqual(Object.keys(outcome.scores).sort(), [...CLASSIFIER_LABELS].sort());
    assert.equal(outcome.scores.insult, 0.3);
    assert.equal(outcome.scores.profanity, 0.2);
    assert.equal(outcome.decision, 'approved');
  });

  it('never holds on profanity alone; holds on any other label', async () => {
    const profane = await run({}, fixed({ profanity: 0.99 }));
    assert.equal(profane.decision, 'approved');
    assert.deepEqual(profane.reasons, []);
    for (const label of CLASSIFIER_LABELS.filter((l) => l !== 'profanity')) {
      const outcome = await run({}, fixed({ [label]: 0.8 }));
      assert.equal(outcome.decision, 'pending', label);
      assert.match(outcome.reasons[0]?.message ?? '', new RegExp(label), label);
    }
  });

  it('rejects on severe_toxicity; insult, like identity_attack, only holds', async () => {
    assert.equal((await run({}, fixed({ severe_toxicity: 0.97 }))).decision, 'rejected');
    const insult = await run({}, fixed({ insult: 0.99 }));
    assert.equal(insult.decision, 'pending');
    assert.equal(insult.reasons[0]?.code, 'CLASSIFIER_HOLD');
  });

  it('keeps the words that drove a held or rejected comment as highlights', async () => {
    const body = 'You utter idiot, I will find you.';
    const words: WordWeight[] = [
      { begin: 10, end: 15, text: 'idiot', drops: { toxicity: 0.4, insult: 0.6 } },
      { begin: 24, end: 28, text: 'find', drops: { threat: 0.3 } },
      { begin: 0, end: 3, text: 'You', drops: {} },
    ];
    const held = explaining({ insult: 0.8 }, words);
    const outcome = await run({ body }, held.classifier);
    assert.equal(outcome.decision, 'pending');
    assert.deepEqual(held.calls, [body]);
    // A word that lowers no score is left out.
    assert.deepEqual(outcome.highlights, [
      { begin: 10, end: 15, labels: { toxicity: 0.4, insult: 0.6 } },
      { begin: 24, end: 28, labels: { threat: 0.3 } },
    ]);
    assert.equal(body.slice(10, 15), 'idiot');

    const rejected = explaining({ threat: 0.99 }, words);
    const refused = await run({ body }, rejected.classifier);
    assert.equal(refused.decision, 'rejected');
    assert.equal(refused.highlights.length, 2);

    // An approved comment is not explained (it costs a classification per word).
    const fine = explaining({ toxicity: 0.1 }, words);
    const approved = await run({}, fine.classifier);
    assert.equal(approved.decision, 'approved');
    assert.deepEqual(approved.highlights, []);
    assert.deepEqual(fine.calls, []);
    // A classifier that cannot explain gives none.
    assert.deepEqual((await run({}, fixed({ toxicity: 0.8 }))).highlights, []);
  });

  it('runs the classifier only when one is given', async () => {
    const outcome = await run({});
    assert.deepEqual(outcome.scores, {});
  });
});
