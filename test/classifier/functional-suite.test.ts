/**
 * The shape of the functional test suite for abusive-language detection (data/functional-suite/,
 * expanded by src/classifier/evaluation/functional-suite.ts). This checks the suite itself, not the
 * classifier: every language has every behaviour that applies to it with enough cases, ids are
 * unique and stable, templates are fully expanded, and the evasion variants really misspell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ATTRIBUTES,
  BEHAVIOURS,
  BEHAVIOUR_DESCRIPTIONS,
  SUITE_LANGUAGES,
  loadFunctionalSuite,
  omittedBehaviours,
  subjectVocabulary,
  suiteVocabulary,
} from '../../src/classifier/evaluation/functional-suite.ts';
import type { FunctionalCase } from '../../src/classifier/evaluation/functional-suite.ts';

const MIN_CASES = 30;
const suite = loadFunctionalSuite();
const byLanguage = new Map<string, FunctionalCase[]>(
  SUITE_LANGUAGES.map((l) => [l, suite.filter((c) => c.language === l)]),
);

const HOLD = new Set([
  'derogation_explicit',
  'dehumanisation',
  'derogation_implicit',
  'threat_direct',
  'threat_normative',
  'slur',
  'hate_question',
  'hate_opinion',
  'hate_pronoun_reference',
  'subject_attack_people',
  'insult_commenter',
  'profanity_at_person',
]);

const expectedOf = (behaviour: string) =>
  HOLD.has(behaviour) || behaviour.startsWith('evasion_') ? 'hold' : 'allow';

test('every behaviour has a description', () => {
  for (const b of BEHAVIOURS) assert.ok(BEHAVIOUR_DESCRIPTIONS[b].length > 10, b);
  assert.equal(new Set(BEHAVIOURS).size, BEHAVIOURS.length);
});

test('every language has every behaviour that applies to it, with at least 30 cases', () => {
  for (const language of SUITE_LANGUAGES) {
    const cases = byLanguage.get(language)!;
    const omitted = omittedBehaviours(language);
    for (const behaviour of BEHAVIOURS) {
      const n = cases.filter((c) => c.behaviour === behaviour).length;
      if (behaviour in omitted) {
        assert.ok(
          omitted[behaviour]!.length > 10,
          `${language}/${behaviour}: omitted without reason`,
        );
        assert.equal(n, 0, `${language}/${behaviour} is omitted but has cases`);
      } else assert.ok(n >= MIN_CASES, `${language}/${behaviour}: ${n} cases`);
    }
    for (const c of cases) assert.ok(BEHAVIOURS.includes(c.behaviour as never), c.id);
  }
});

test('the newsroom subject: at least 40 cases criticising governments per language', () => {
  for (const [language, cases] of byLanguage) {
    const n = cases.filter((c) => c.behaviour === 'criticism_government').length;
    assert.ok(n >= 40, `${language}: ${n}`);
  }
});

test('ids are unique, stable in form and match the case', () => {
  const ids = new Set<string>();
  for (const c of suite) {
    assert.ok(!ids.has(c.id), `duplicate id ${c.id}`);
    ids.add(c.id);
    assert.match(c.id, /^[a-z]{2}-[a-z_]+-\d{4}$/);
    assert.ok(c.id.startsWith(`${c.language}-${c.behaviour}-`), c.id);
  }
});

test('no template syntax is left in any text', () => {
  for (const c of suite) {
    assert.doesNotMatch(c.text, /\{\w+(\.\w+)?\}/, `${c.id}: ${c.text}`);
    assert.ok(!c.text.includes('[[') && !c.text.includes(']]'), `${c.id}: ${c.text}`);
    assert.doesNotMatch(c.text, /<[^<>]*\|[^<>]*>/, `${c.id}: ${c.text}`);
    assert.equal(c.text, c.text.trim(), c.id);
    assert.ok(c.text.length > 0, c.id);
  }
});

test('no bidi control characters (plain Unicode, also in Arabic and Hebrew)', () => {
  for (const c of suite)
    assert.doesNotMatch(c.text, /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/, c.id);
});

test('no text appears twice within a language', () => {
  for (const [language, cases] of byLanguage) {
    const seen = new Map<string, string>();
    for (const c of cases) {
      assert.ok(!seen.has(c.text), `${language}: ${c.id} repeats ${seen.get(c.text)}: ${c.text}`);
      seen.set(c.text, c.id);
    }
  }
});

test('the expansion is deterministic', () => {
  assert.deepEqual(loadFunctionalSuite(), suite);
  assert.deepEqual(loadFunctionalSuite(['he', 'en']), [
    ...byLanguage.get('he')!,
    ...byLanguage.get('en')!,
  ]);
});

test('labels are consistent per behaviour, and attribute keys are known', () => {
  for (const c of suite) {
    assert.equal(c.expected, expectedOf(c.behaviour), c.id);
    for (const key of Object.keys(c.attributes))
      assert.ok(ATTRIBUTES.includes(key as never), `${c.id}: ${key}`);
    assert.ok(['group', 'individual', 'institution', 'object', 'none'].includes(c.target), c.id);
    const ia = c.attributes.IDENTITY_ATTACK;
    if (c.expected === 'allow' || ['insult_commenter', 'profanity_at_person'].includes(c.behaviour))
      assert.equal(ia, false, c.id);
    else assert.equal(ia, true, c.id);
  }
  for (const c of suite.filter((c) => c.behaviour.startsWith('threat_')))
    assert.equal(c.attributes.THREAT, true, c.id);
  for (const c of suite.filter((c) => c.behaviour === 'profanity_untargeted')) {
    assert.equal(c.attributes.PROFANITY, true, c.id);
    assert.equal(c.attributes.INSULT, false, c.id);
  }
});

test('hold and allow cases are both substantial in every language', () => {
  for (const [language, cases] of byLanguage) {
    const hold = cases.filter((c) => c.expected === 'hold').length;
    const allow = cases.length - hold;
    assert.ok(hold >= 300 && allow >= 300, `${language}: ${hold} hold, ${allow} allow`);
    assert.ok(allow / cases.length >= 0.3, `${language}: ${allow} of ${cases.length} allowed`);
  }
});

test('evasion variants misspell a hateful case of the same language', () => {
  const byId = new Map(suite.map((c) => [c.id, c]));
  for (const c of suite.filter((c) => c.behaviour.startsWith('evasion_'))) {
    if (c.behaviour === 'evasion_transliteration') {
      assert.equal(c.source, undefined, c.id);
      continue;
    }
    const source = byId.get(c.source ?? '');
    assert.ok(source, `${c.id}: no source`);
    assert.equal(source.language, c.language, c.id);
    assert.equal(source.expected, 'hold', c.id);
    assert.equal(source.attributes.IDENTITY_ATTACK, true, c.id);
    assert.notEqual(c.text, source.text, c.id);
    if (c.behaviour === 'evasion_nospace')
      assert.ok(c.text.split(/\s+/).length < source.text.split(/\s+/).length, c.id);
    if (c.behaviour === 'evasion_addspace')
      assert.ok(c.text.split(/\s+/).length > source.text.split(/\s+/).length, c.id);
  }
});

test('transliterations are mostly in Latin letters', () => {
  for (const c of suite.filter((c) => c.behaviour === 'evasion_transliteration')) {
    const latin = c.text.match(/[A-Za-z]/g)?.length ?? 0;
    assert.ok(latin >= 3, `${c.id}: ${c.text}`);
  }
});

/** The groups that belong to the training generator, in each language's words: never used here. */
const RESERVED: Readonly<Record<string, readonly RegExp[]>> = {
  en: [
    /\bwom[ae]n\b/i,
    /\bgays?\b/i,
    /\bblacks?\b/i,
    /\brefugees?\b/i,
    /\bchristians?\b/i,
    /\bhindus?\b/i,
    /\bimmigrants?\b/i,
  ],
  fr: [
    /\bfemmes?\b/i,
    /\bgays?\b/i,
    /\bnoirs?\b/i,
    /\bréfugiés?\b/i,
    /\bchrétiens?\b/i,
    /\bhindous?\b/i,
    /\bimmigrés?\b/i,
  ],
  es: [
    /\bmujer(es)?\b/i,
    /\bgais\b/i,
    /\bnegros?\b/i,
    /\brefugiados?\b/i,
    /\bcristianos?\b/i,
    /\bhindúes\b/i,
    /\binmigrantes?\b/i,
  ],
  pt: [
    /\bmulher(es)?\b/i,
    /\bgays?\b/i,
    /\bnegros?\b/i,
    /\brefugiados?\b/i,
    /\bcristãos?\b/i,
    /\bhindus?\b/i,
    /\bimigrantes?\b/i,
  ],
  de: [
    /\bFrauen\b/,
    /\bSchwule\b/,
    /\bSchwarze\b/,
    /\bFlüchtlinge\b/,
    /\bChristen\b/,
    /\bHindus\b/,
    /\bEinwanderer\b/,
  ],
  ar: [/النساء/, /المثليين/, /السود/, /اللاجئ/, /المسيحي/, /الهندوس/, /المهاجرين/],
  he: [/(?<![א-ת])ה?נשים(?![א-ת])/, /הומואים/, /שחורים/, /פליטים/, /נוצרים/, /הינדו/, /מהגרים/],
  zh: [/女人/, /(?<!女)同性恋/, /黑人/, /难民/, /基督徒/, /印度教徒/, /移民/],
};

test("the suite leaves the training generator's groups alone", () => {
  for (const [language, cases] of byLanguage) {
    const reserved = RESERVED[language] ?? [];
    for (const c of cases)
      for (const re of reserved) assert.doesNotMatch(c.text, re, `${c.id}: ${c.text}`);
  }
});

test('the vocabulary lists every group, slur and institution, and the subject part of it', () => {
  for (const language of SUITE_LANGUAGES) {
    const vocabulary = suiteVocabulary(language);
    const subject = subjectVocabulary(language);
    assert.ok(vocabulary.length >= 40, `${language}: ${vocabulary.length}`);
    assert.ok(subject.length >= 12, `${language}: ${subject.length}`);
    for (const term of subject) assert.ok(vocabulary.includes(term), `${language}: ${term}`);
    assert.deepEqual(vocabulary, [...new Set(vocabulary)].sort());
  }
});
