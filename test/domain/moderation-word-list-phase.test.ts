/**
 * The word-list phase: a banned term rejects, suspect terms alone hold, and the terms found reach
 * moderators as tags but are never echoed to the author. The matcher's disguises (leetspeak,
 * homoglyphs, Arabic and Hebrew marks, Chinese without spaces) carry through to the decision.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { moderate } from '../../src/domain/moderation/pipeline.ts';
import { moderationPhases } from '../../src/domain/moderation/phases/index.ts';
import { wordList } from '../../src/domain/moderation/phases/word-list.ts';
import { moderationInput, type InputOverrides } from '../helpers/moderation.ts';
import { compileWordList, type WordListEntry } from '../../src/domain/moderation/word-list.ts';

const LIST: WordListEntry[] = [
  { term: 'idiot', strength: 'banned' },
  { term: 'moron', strength: 'banned' },
  { term: 'غبي', strength: 'banned' },
  { term: 'אידיוט', strength: 'banned' },
  { term: '白痴', strength: 'banned' },
  { term: 'clown', strength: 'suspect' },
  { term: 'nonsense', strength: 'suspect' },
];
const words = compileWordList(LIST);

const input = (overrides: InputOverrides = {}) =>
  moderationInput({
    words,
    ...overrides,
    settings: { wordList: LIST, ...overrides.settings },
  });

const phase = (body: string) => wordList(input({ body }));

describe('word-list phase', () => {
  const rejected: [name: string, body: string, term: string][] = [
    ['an English word', 'Only an idiot would write that.', 'idiot'],
    ['leetspeak', 'What a m0r0n.', 'moron'],
    ['spaced letters', 'you i d i o t', 'idiot'],
    ['stretched letters', 'such an idiooooot', 'idiot'],
    ['Cyrillic homoglyphs', 'what an іdіоt', 'idiot'],
    ['Arabic with diacritics', 'أنت غَبِيٌّ جدا', 'غبي'],
    ['Arabic with tatweel', 'أنت غـــبـي جدا', 'غبي'],
    ['Hebrew with niqqud', 'אַתָּה אִידְיוֹט גָּמוּר', 'אידיוט'],
    ['Chinese inside a sentence', '你真是个白痴吧', '白痴'],
  ];
  for (const [name, body, term] of rejected) {
    it(`rejects a banned term written as ${name}`, () => {
      const result = phase(body);
      assert.equal(result?.decision, 'rejected', body);
      assert.deepEqual(
        result.reasons?.map((r) => r.code),
        ['WORD_BANNED'],
      );
      assert.deepEqual(result.tags, [`word:${term}`]);
    });
  }

  it('tells the author how many terms, never which', () => {
    const result = phase('You idiot, you moron.');
    assert.equal(result?.decision, 'rejected');
    const message = result.reasons?.[0]?.message ?? '';
    assert.match(message, /\b2 terms\b/);
    assert.doesNotMatch(message, /idiot|moron/);
    assert.deepEqual(result.tags, ['word:idiot', 'word:moron']);
    assert.match(phase('You idiot.')?.reasons?.[0]?.message ?? '', /\b1 term\b/);
  });

  it('holds a comment with only suspect terms', () => {
    const result = phase('This clown talks nonsense.');
    assert.equal(result?.decision, 'pending');
    assert.deepEqual(
      result.reasons?.map((r) => r.code),
      ['WORD_SUSPECT'],
    );
    assert.doesNotMatch(result.reasons?.[0]?.message ?? '', /clown|nonsense/);
    assert.deepEqual(result.tags, ['word:clown', 'word:nonsense']);
  });

  it('rejects when banned and suspect terms are both present, tagging all of them', () => {
    const result = phase('This clown is an idiot.');
    assert.equal(result?.decision, 'rejected');
    assert.deepEqual(
      result.reasons?.map((r) => r.code),
      ['WORD_BANNED'],
    );
    assert.match(result.reasons?.[0]?.message ?? '', /\b1 term\b/);
    assert.deepEqual(result.tags, ['word:idiot', 'word:clown']);
  });

  it('passes clean text, including words that merely contain a term', () => {
    assert.equal(phase('A reasonable comment about the talks.'), undefined);
    assert.equal(phase('The idiotypes of antibodies vary; clownfish live in anemones.'), undefined);
    assert.equal(phase('أنت ذكي جدا'), undefined);
    assert.equal(phase('你真是个天才'), undefined);
  });

  it('does nothing without a compiled word list', () => {
    assert.equal(wordList(input({ body: 'You idiot.', words: undefined })), undefined);
    assert.equal(wordList(input({ body: 'You idiot.', words: compileWordList([]) })), undefined);
  });

  describe('in the pipeline', () => {
    const run = (overrides: InputOverrides) => moderate(moderationPhases(), input(overrides));

    it('rejects a banned word even when pre-moderation would hold the comment', async () => {
      const outcome = await run({
        body: 'You are an id10t.',
        settings: { premoderateAll: true },
        story: { premoderated: true },
      });
      assert.equal(outcome.decision, 'rejected');
      assert.equal(outcome.decidedBy, 'wordList');
      assert.equal(outcome.refuse, undefined, 'a rejection, not a refusal: the comment is kept');
      assert.deepEqual(
        outcome.reasons.map((r) => r.code),
        ['WORD_BANNED'],
      );
      assert.deepEqual(outcome.tags, ['word:idiot']);
    });

    it('still refuses first: a closed story wins over a banned word', async () => {
      const outcome = await run({ body: 'You idiot.', story: { closed: true } });
      assert.equal(outcome.refuse?.code, 'STORY_CLOSED');
    });

    it('holds for a suspect word, and a denied link still rejects after it', async () => {
      const held = await run({ body: 'What a clown.' });
      assert.equal(held.decision, 'pending');
      assert.equal(held.decidedBy, 'wordList');
      const rejected = await run({
        body: 'What a clown, see www.spamshop.com',
        settings: { links: { holdLinks: false, allowDomains: [], denyDomains: ['spamshop.com'] } },
      });
      assert.equal(rejected.decision, 'rejected');
      assert.deepEqual(
        rejected.reasons.map((r) => r.code),
        ['WORD_SUSPECT', 'LINK_DENIED'],
      );
    });

    it('approves clean text', async () => {
      const outcome = await run({});
      assert.equal(outcome.decision, 'approved');
      assert.deepEqual(outcome.tags, []);
    });
  });
});
