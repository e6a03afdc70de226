import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadModel, loadShippedClassifier } from '../../src/classifier/index.ts';
import { CLASSIFIER_LABELS } from '../../src/domain/moderation/phases/classifier.ts';
import type { ClassifierScores } from '../../src/domain/moderation/phases/classifier.ts';
import { DEFAULT_MODERATION_SETTINGS } from '../../src/domain/moderation/settings.ts';

const classifier = loadShippedClassifier();
const HOLD = DEFAULT_MODERATION_SETTINGS.classifier.hold;
const abuse = (s: ClassifierScores) =>
  Math.max(s.scores.toxicity, s.scores.identity_attack, s.scores.threat);
const abuseOf = (text: string) => abuse(classifier.classify(text));

/** Per language: clearly abusive, clearly benign, and disguised abusive comments. */
const CASES: Record<string, { abusive: string[]; benign: string[]; disguised: string[] }> = {
  en: {
    abusive: ['you are a fucking idiot', 'shut up you stupid moron'],
    benign: ['Thanks for the thoughtful article.', 'The council meets again on Tuesday.'],
    disguised: ['you are a f u c k i n g 1d10t', 'shut up you st00pid m0r0n'],
  },
  fr: {
    abusive: ["t'es qu'un connard", 'ferme ta gueule, abruti'],
    benign: ['merci pour cet article', 'le conseil se réunit mardi prochain'],
    disguised: ["t'es qu'un c0nn4rd", 'ferme ta gueule, 4brut1'],
  },
  es: {
    abusive: ['eres un idiota de mierda', 'cállate, imbécil'],
    benign: ['gracias por el artículo', 'el consejo se reúne el martes'],
    disguised: ['eres un 1d10t4 de m13rd4', 'cállate, i.m.b.é.c.i.l'],
  },
  ar: {
    abusive: ['يا حمار يا ابن الكلب', 'انت غبي وحقير'],
    benign: ['شكرا على المقال', 'يجتمع المجلس يوم الثلاثاء'],
    disguised: ['يا حَـــمـــار', 'انت غ\u200Cبي وحقـــير'],
  },
  he: {
    abusive: ['אתה מטומטם', 'איזה דביל מפגר'],
    benign: ['תודה על הכתבה', 'המועצה תתכנס ביום שלישי'],
    disguised: ['אתה מ.ט.ו.מ.ט.ם', 'איזה דְּבִיל מְפַגֵּר'],
  },
  zh: {
    abusive: ['你这个傻逼', '滚蛋吧你这个废物'],
    benign: ['谢谢你的文章', '委员会周二开会'],
    disguised: ['你这个傻b', '滚蛋吧你这个废\u200B物'],
  },
};

// Its speed (load time, inference) is measured by `npm run bench -- --only classifier`, not here.
test('the shipped model is small and identifies itself', () => {
  const loaded = loadModel();
  assert.ok(loaded.bytes < 3 * 1024 * 1024, `${loaded.bytes} bytes`);
  assert.equal(loaded.header.id, 'parley-1');
  assert.deepEqual(loaded.header.labels, [...CLASSIFIER_LABELS]);
  const scores = classifier.classify('hello');
  assert.equal(scores.model, 'parley-1');
  for (const label of CLASSIFIER_LABELS)
    assert.ok(scores.scores[label] >= 0 && scores.scores[label] <= 1);
});

for (const [language, { abusive, benign, disguised }] of Object.entries(CASES)) {
  test(`${language}: abusive comments score above benign ones and over the hold threshold`, () => {
    const lowestAbusive = Math.min(...abusive.map(abuseOf));
    const highestBenign = Math.max(...benign.map(abuseOf));
    assert.ok(lowestAbusive > highestBenign, `${lowestAbusive} vs ${highestBenign}`);
    assert.ok(lowestAbusive >= HOLD, `abusive ${lowestAbusive}`);
    assert.ok(highestBenign < HOLD, `benign ${highestBenign}`);
  });

  test(`${language}: disguised insults still score over the hold threshold`, () => {
    for (const text of disguised) assert.ok(abuseOf(text) >= HOLD, `${text}: ${abuseOf(text)}`);
  });

  test(`${language}: benign comments are identified as ${language}`, () => {
    for (const text of benign) assert.equal(classifier.classify(text).language, language, text);
  });
}

test('threats score as threats, spam as spam', () => {
  assert.ok(classifier.classify('I will kill you').scores.threat >= HOLD);
  assert.ok(classifier.classify("I'll k1ll y0u").scores.threat >= HOLD);
  assert.ok(classifier.classify('je vais te tuer').scores.threat >= HOLD);
  assert.ok(classifier.classify('The storm killed two people last week.').scores.threat < HOLD);
  assert.ok(
    classifier.classify('Check out my channel and subscribe http://bit.ly/xyz').scores.spam >= HOLD,
  );
  assert.ok(classifier.classify('Thanks for the thoughtful article.').scores.spam < HOLD);
});

test('neutral sentences naming groups stay under the hold threshold (at most 5% over)', () => {
  const dir = fileURLToPath(new URL('../../models/fairness/', import.meta.url));
  let neutral = 0;
  const over: string[] = [];
  const files = readdirSync(dir).filter(
    (f) => f.endsWith('.json') && !f.startsWith('benign-news-'),
  );
  for (const file of files) {
    const set = JSON.parse(readFileSync(dir + file, 'utf8')) as {
      neutral: string[];
      abusive: string[];
    };
    assert.ok(set.neutral.length >= 15, `${file} has at least 15 neutral sentences`);
    neutral += set.neutral.length;
    for (const text of set.neutral) if (abuseOf(text) >= HOLD) over.push(text);
  }
  assert.ok(over.length / neutral <= 0.05, `over the hold threshold: ${over.join(' | ')}`);
});
