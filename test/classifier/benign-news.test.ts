/**
 * Spam false positives on ordinary news comments: the project's benign news-discussion comments
 * (models/fairness/benign-news-*.json, written for Parley and never trained on) must stay under
 * the hold threshold for spam (at most 5% over), and the clear spam written beside them must score
 * over it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadShippedClassifier } from '../../src/classifier/index.ts';
import { DEFAULT_MODERATION_SETTINGS } from '../../src/domain/moderation/settings.ts';

const classifier = loadShippedClassifier();
const HOLD = DEFAULT_MODERATION_SETTINGS.classifier.hold;
const spamOf = (text: string) => classifier.classify(text).scores.spam;

const dir = fileURLToPath(new URL('../../models/fairness/', import.meta.url));
const sets = readdirSync(dir)
  .filter((f) => f.startsWith('benign-news-') && f.endsWith('.json'))
  .sort()
  .map(
    (file) =>
      JSON.parse(readFileSync(dir + file, 'utf8')) as {
        language: string;
        benign: string[];
        spam: string[];
      },
  );

test('the benign news set has at least 25 comments in each of the six languages', () => {
  assert.deepEqual(sets.map((s) => s.language).sort(), ['ar', 'en', 'es', 'fr', 'he', 'zh']);
  for (const set of sets)
    assert.ok(set.benign.length >= 25, `${set.language}: ${set.benign.length}`);
});

test('at most 5% of benign news comments reach the hold threshold for spam', () => {
  const all = sets.flatMap((s) => s.benign);
  const over = all.filter((text) => spamOf(text) >= HOLD);
  assert.ok(
    over.length / all.length <= 0.05,
    `${over.length}/${all.length} over: ${over.map((t) => `${t} (${spamOf(t)})`).join(' | ')}`,
  );
});

// parley-2 misses these two (models/README.md, "Limits"): its spam head holds "Thank you for
// sharing this." (0.58) and catches 3 of the 5 Spanish spam comments. Kept as todo so that they run
// and say so until the spam head is retrained on better data.
test(
  'the comments reported as held for spam are now under the hold threshold',
  {
    todo: 'parley-2 scores "Thank you for sharing this." 0.58 for spam',
  },
  () => {
    for (const text of [
      'The parent comment.',
      'Opening comment.',
      'A comment on the other site.',
      'Thank you for sharing this.',
    ]) {
      assert.ok(spamOf(text) < HOLD, `${text}: ${spamOf(text)}`);
    }
  },
);

test(
  'clear spam scores over the hold threshold',
  { todo: 'parley-2 catches 3/5 Spanish spam' },
  () => {
    const byLanguage = new Map(sets.map((s) => [s.language, s.spam]));
    // English, Spanish and French spam: at least 80% of each caught (YouTube taught spam in English;
    // the other languages learn it from the project's generated examples and shared n-grams).
    for (const language of ['en', 'es', 'fr']) {
      const spam = byLanguage.get(language) ?? [];
      const caught = spam.filter((text) => spamOf(text) >= HOLD);
      assert.ok(caught.length / spam.length >= 0.8, `${language}: ${caught.length}/${spam.length}`);
    }
    const all = sets.flatMap((s) => s.spam);
    const caught = all.filter((text) => spamOf(text) >= HOLD).length;
    assert.ok(caught / all.length >= 0.6, `all languages: ${caught}/${all.length}`);
    for (const text of [
      'Check out my channel and subscribe http://bit.ly/xyz',
      'Bitcoin investment: double your money in 24 hours, message me on WhatsApp',
    ]) {
      assert.ok(spamOf(text) >= HOLD, `${text}: ${spamOf(text)}`);
    }
  },
);
