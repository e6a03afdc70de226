/**
 * The training generator (src/classifier/training/generator.ts expanding
 * data/training-generator/<language>.json): deterministic, fully expanded, both classes of every
 * main attribute in every language, labels that match the behaviour that wrote the sentence, and
 * the minimal-pair hard negatives (`benign_structure`: the function words of the hateful templates
 * with a benign predicate) in every language that has them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ATTRIBUTES,
  type Attribute,
  DEFAULT_PER_BEHAVIOUR,
  type GeneratedExample,
  generateExamples,
  generatorBehaviours,
  generatorDataFiles,
  GENERATOR_LANGUAGES,
} from '../../src/classifier/training/generator.ts';

const files = new Set(generatorDataFiles());
const LANGUAGES = GENERATOR_LANGUAGES.filter((language) => files.has(`${language}.json`));

/** Languages whose files carry the minimal-pair hard negatives. */
const MINIMAL_PAIR_LANGUAGES = ['en', 'fr', 'es', 'pt', 'de', 'zh'].filter((language) =>
  LANGUAGES.includes(language),
);
const MINIMAL_PAIRS = 'benign_structure';

/** Behaviours whose examples threaten (a group or a person). */
const THREATS = new Set(['threat_direct', 'threat_normative', 'threat_individual']);
/** Behaviours that name a group or an institution without attacking or threatening it. */
const NOT_ATTACKING = new Set([
  'counter_quote',
  'counter_reference',
  'negated_hate',
  'neutral_group',
  'positive_group',
  'institution_criticism',
  MINIMAL_PAIRS,
]);

// One full run (the default seed and size, as training uses), shared by the tests below.
const examples = generateExamples({ languages: LANGUAGES });
const byLanguage = new Map<string, GeneratedExample[]>();
for (const example of examples) {
  const list = byLanguage.get(example.language) ?? [];
  list.push(example);
  byLanguage.set(example.language, list);
}
const ofLanguage = (language: string) => byLanguage.get(language) ?? [];

describe('training generator', () => {
  it('has a data file for languages it knows only', () => {
    assert.ok(LANGUAGES.length > 0, 'no language files');
    for (const file of files)
      assert.ok(GENERATOR_LANGUAGES.includes(file.replace(/\.json$/, '')), `unknown file ${file}`);
  });

  it('is deterministic for a seed, and another seed gives other sentences', () => {
    const options = { languages: LANGUAGES, perBehaviour: 40 };
    const first = generateExamples({ ...options, seed: 11 });
    const again = generateExamples({ ...options, seed: 11 });
    const other = generateExamples({ ...options, seed: 12 });
    assert.deepEqual(again, first);
    assert.notDeepEqual(
      other.map((e) => e.text),
      first.map((e) => e.text),
    );
    // the default run is reproducible too
    const defaults = generateExamples({ languages: LANGUAGES.slice(0, 1) });
    assert.deepEqual(defaults, ofLanguage(LANGUAGES[0] as string));
  });

  it('a subset of languages gives the same sentences as the full run', () => {
    for (const language of LANGUAGES.slice(-2))
      assert.deepEqual(generateExamples({ languages: [language] }), ofLanguage(language));
  });

  it('leaves no placeholder unfilled', () => {
    const unfilled = examples.filter((e) => /[{}]/.test(e.text)).map((e) => e.text);
    assert.deepEqual(unfilled.slice(0, 20), []);
  });

  it('writes no sentence twice in a language, and no empty one', () => {
    for (const language of LANGUAGES) {
      const texts = ofLanguage(language).map((e) => e.text);
      assert.equal(new Set(texts).size, texts.length, `${language}: duplicates`);
      assert.ok(
        texts.every((t) => t.trim().length > 0),
        `${language}: empty sentence`,
      );
    }
  });

  for (const language of LANGUAGES) {
    describe(language, () => {
      it('has examples from every behaviour', () => {
        const rows = ofLanguage(language);
        assert.ok(rows.length > 0, 'no examples');
        const seen = new Set(rows.map((e) => e.behaviour));
        for (const { name } of generatorBehaviours(language))
          assert.ok(seen.has(name), `no examples of ${name}`);
      });

      it('has both classes of identity_attack, threat, insult and profanity', () => {
        const rows = ofLanguage(language);
        for (const attribute of ['identity_attack', 'threat', 'insult', 'profanity'] as Attribute[])
          for (const value of [0, 1])
            assert.ok(
              rows.some((e) => e.labels[attribute] === value),
              `no example with ${attribute} ${value}`,
            );
      });

      it('labels every example on all six attributes, consistently with its behaviour', () => {
        for (const e of ofLanguage(language)) {
          const where = `${e.behaviour}: ${e.text}`;
          for (const attribute of ATTRIBUTES)
            assert.ok(e.labels[attribute] === 0 || e.labels[attribute] === 1, where);
          if (
            e.labels.threat === 1 ||
            e.labels.identity_attack === 1 ||
            e.labels.severe_toxicity === 1
          )
            assert.equal(e.labels.toxicity, 1, where);
          if (THREATS.has(e.behaviour)) {
            assert.equal(e.labels.threat, 1, where);
            assert.equal(e.labels.toxicity, 1, where);
          }
          if (NOT_ATTACKING.has(e.behaviour)) {
            assert.equal(e.labels.identity_attack, 0, where);
            assert.equal(e.labels.threat, 0, where);
          }
          if (e.behaviour === 'profanity_untargeted') {
            assert.equal(e.labels.profanity, 1, where);
            assert.equal(e.labels.toxicity, 0, where);
          }
        }
      });
    });
  }

  for (const language of MINIMAL_PAIR_LANGUAGES) {
    it(`has the minimal-pair hard negatives, all labels 0 (${language})`, () => {
      const behaviour = generatorBehaviours(language).find((b) => b.name === MINIMAL_PAIRS);
      assert.ok(behaviour, `no ${MINIMAL_PAIRS} behaviour`);
      assert.ok(behaviour.templates.length >= 30, `${behaviour.templates.length} templates`);
      for (const attribute of ATTRIBUTES) assert.equal(behaviour.labels[attribute], 0, attribute);

      const rows = ofLanguage(language);
      const pairs = rows.filter((e) => e.behaviour === MINIMAL_PAIRS);
      for (const e of pairs)
        for (const attribute of ATTRIBUTES) assert.equal(e.labels[attribute], 0, e.text);
      // about as many as the threats and derogations they are the pairs of
      const hateful = rows.filter(
        (e) => THREATS.has(e.behaviour) || e.behaviour.startsWith('derogation_'),
      ).length;
      assert.ok(
        pairs.length >= hateful * 0.8,
        `${pairs.length} minimal pairs for ${hateful} threats and derogations`,
      );
      assert.ok(pairs.length <= DEFAULT_PER_BEHAVIOUR * 6, `${pairs.length} minimal pairs`);
    });
  }

  it('the English minimal pairs keep the function words of the hateful templates', () => {
    if (!MINIMAL_PAIR_LANGUAGES.includes('en')) return;
    const texts = ofLanguage('en')
      .filter((e) => e.behaviour === MINIMAL_PAIRS)
      .map((e) => e.text);
    for (const pattern of [
      / deserves? /,
      / should be /,
      /^Nobody should /,
      / will /,
      /^We will /,
      /^(A|The) (survey|report|study|census|poll) (of|on) .* will /,
      /^Why are /,
      /^I think /,
      /\. They /,
      / are (a fifth|a quarter|celebrating)/,
      / must be allowed to /,
      / have every right to /,
    ])
      assert.ok(
        texts.some((t) => pattern.test(t)),
        `no minimal pair matches ${pattern}`,
      );
  });
});
