/**
 * The functional test suite (data/functional-suite, evaluation only) and the training generator
 * (data/training-generator) are two bodies written apart: a test the model was trained on measures
 * nothing. Checked here, per language:
 * - no generated training sentence is a suite case (compared folded, as the classifier reads them);
 * - names and slurs are not shared, nor are identity groups other than the newsroom's subject
 *   peoples and institutions, which both bodies must name;
 * - common insults and swear words may be shared (they are the language's own words, in every
 *   labelled set too), and the test says how many are.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { prepareText } from '../../src/classifier/features.ts';
import {
  loadFunctionalSuite,
  subjectVocabulary,
  SUITE_LANGUAGES,
  suiteVocabulary,
} from '../../src/classifier/evaluation/functional-suite.ts';
import { generateExamples, generatorVocabulary } from '../../src/classifier/training/generator.ts';

const fold = (text: string) => prepareText(text).folded.trim();
const has = (body: string, language: string) =>
  existsSync(new URL(`../../data/${body}/${language}.json`, import.meta.url));

for (const language of SUITE_LANGUAGES) {
  const skip =
    has('functional-suite', language) && has('training-generator', language)
      ? false
      : `no ${language} in one of the two bodies`;
  describe(`suite and training generator are apart (${language})`, { skip }, () => {
    it('no generated sentence is a suite case', () => {
      const generated = new Set(
        generateExamples({ languages: [language] }).map((e) => fold(e.text)),
      );
      const same = loadFunctionalSuite([language]).filter((c) => generated.has(fold(c.text)));
      assert.deepEqual(
        same.map((c) => c.text),
        [],
        'suite cases the generator also writes',
      );
    });

    it('names, slurs and groups other than the subject are not shared', () => {
      const subject = new Set(subjectVocabulary(language).map(fold));
      const generated = new Set(
        generatorVocabulary(language, new Set(['group', 'slur', 'name'])).map(fold),
      );
      const shared = suiteVocabulary(language, ['group', 'people', 'slur', 'name', 'reclaimed'])
        .map(fold)
        .filter((term) => term.length > 0 && generated.has(term) && !subject.has(term));
      assert.deepEqual([...new Set(shared)].sort(), []);
    });
  });
}
