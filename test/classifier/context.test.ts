/**
 * The context reader (src/classifier/context.ts): which words a negation or a quotation covers, in
 * every language the classifier serves, and the comment-level context features. It reads the
 * folded comment, so each case goes through prepareText first, as the feature extractor does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareText } from '../../src/classifier/features.ts';
import {
  NEGATION_REACH,
  readContext,
  SCOPE_NEGATED,
  SCOPE_NONE,
  SCOPE_QUOTED,
} from '../../src/classifier/context.ts';
import type { Context } from '../../src/classifier/context.ts';

const contextOf = (text: string): Context => readContext(prepareText(text).folded);
/** A word as the reader sees it (folded: "אותם" → "אותמ", "dumm" → "dum"). */
const fold = (word: string): string => prepareText(word).folded;

/** "word:scope" for each spaced word, e.g. "hate:1". */
const scopes = (text: string): string[] =>
  contextOf(text)
    .tokens.filter((t) => !t.unspaced)
    .map((t) => `${t.text}:${t.scope}`);

/** The words (folded) carrying `scope`. */
const wordsIn = (text: string, scope: number): string[] =>
  contextOf(text)
    .tokens.filter((t) => !t.unspaced && (t.scope & scope) !== 0)
    .map((t) => t.text);

test('en: "don\'t" (split at its apostrophe) negates what follows, the cue itself is plain', () => {
  assert.deepEqual(scopes("I don't hate them"), ['i:0', 'don:0', 't:0', 'hate:1', 'them:1']);
  // A typographic apostrophe splits the same way.
  assert.deepEqual(wordsIn('I don’t hate them', SCOPE_NEGATED), ['hate', 'them']);
  assert.equal(contextOf("I don't hate them").negations, 1);
  // A "t" after anything but a contraction is no cue.
  assert.deepEqual(wordsIn('the t hate them', SCOPE_NEGATED), []);
  assert.deepEqual(wordsIn('I never said that', SCOPE_NEGATED), ['said', 'that']);
});

test('en: a negation ends at "but", at punctuation, and after NEGATION_REACH words', () => {
  assert.deepEqual(scopes('I do not hate them but I hate their policies'), [
    'i:0',
    'do:0',
    'not:0',
    'hate:1',
    'them:1',
    'but:0',
    'i:0',
    'hate:0',
    'their:0',
    'policies:0',
  ]);
  assert.deepEqual(wordsIn('they are not idiots. idiots they are', SCOPE_NEGATED), ['idiots']);
  assert.deepEqual(wordsIn('not idiots, idiots', SCOPE_NEGATED), ['idiots']);
  const words = ['one', 'two', 'tres', 'four', 'five', 'six', 'seven', 'eight'];
  const negated = wordsIn(`not ${words.join(' ')}`, SCOPE_NEGATED);
  assert.equal(NEGATION_REACH, 6);
  assert.deepEqual(negated, words.slice(0, NEGATION_REACH));
  // Folding collapses doubled letters, so the reader sees "thre" for "three".
  assert.equal(fold('three'), 'thre');
});

test('fr: "ne … pas" negates the verb between them ("pas", a cue too, is inside the scope)', () => {
  const context = contextOf('je ne déteste pas les voisins');
  assert.deepEqual(
    context.tokens.map((t) => `${t.text}:${t.scope}`),
    ['je:0', 'ne:0', 'deteste:1', 'pas:1', 'les:1', 'voisins:1'],
  );
  assert.equal(context.negations, 2);
  // "n'" is split off its verb like "don't".
  assert.deepEqual(wordsIn("je n'aime pas ça", SCOPE_NEGATED), ['aime', 'pas', 'ca']);
  assert.deepEqual(wordsIn('je ne les déteste pas mais je les évite', SCOPE_NEGATED), [
    'les',
    'deteste',
    'pas',
  ]);
});

test('es and pt: "no" / "não" negate the verb after them', () => {
  assert.deepEqual(scopes('no odio a nadie'), ['no:0', 'odio:1', 'a:1', 'nadie:1']);
  assert.deepEqual(wordsIn('yo no odio a los vecinos, pero', SCOPE_NEGATED), [
    'odio',
    'a',
    'los',
    'vecinos',
  ]);
  // Accents are folded away before the cue is looked up: "não" is "nao".
  assert.deepEqual(scopes('eu não odeio ninguém'), ['eu:0', 'nao:0', 'odeio:1', 'ninguem:1']);
});

test('de: "kein" negates what follows; a final "nicht" negates nothing (post-verbal negation)', () => {
  assert.deepEqual(wordsIn('ich habe keine Angst vor ihnen', SCOPE_NEGATED), [
    'angst',
    'vor',
    'ihnen',
  ]);
  // German puts "nicht" after the verb it negates: the reader only looks forward, so in
  // "ich hasse sie nicht" nothing is in scope. The cue still counts (the dense "negations"
  // feature sees it). Note also that folding collapses "hasse" to "hase".
  const context = contextOf('ich hasse sie nicht');
  assert.deepEqual(
    context.tokens.map((t) => `${t.text}:${t.scope}`),
    ['ich:0', 'hase:0', 'sie:0', 'nicht:0'],
  );
  assert.equal(context.negations, 1);
  // Before what it negates (an adjective, a verb at the end of a subordinate clause), it reaches.
  assert.deepEqual(wordsIn('sie sind nicht dumm', SCOPE_NEGATED), [fold('dumm')]);
});

test('ar and he: "لا" and "לא" negate the verb after them', () => {
  // Arabic letter variants are folded: "أكره" is read as "اكره".
  assert.deepEqual(scopes('لا أكره أحدا'), ['لا:0', 'اكره:1', 'احدا:1']);
  // Hebrew final letters are folded to their plain forms ("אותם" → "אותמ").
  assert.deepEqual(scopes('אני לא שונא אותם'), ['אני:0', 'לא:0', 'שונא:1', `${fold('אותם')}:1`]);
  assert.deepEqual(wordsIn('אני לא שונא אותם אבל אני שונא את המדיניות', SCOPE_NEGATED), [
    'שונא',
    fold('אותם'),
  ]);
  assert.deepEqual(wordsIn('لا أكرههم لكن أكره سياستهم', SCOPE_NEGATED), [fold('أكرههم')]);
});

test('zh: a negation character scopes the characters after it, to the end of the clause', () => {
  const context = contextOf('我不讨厌你');
  assert.equal(context.tokens.length, 1);
  const [run] = context.tokens;
  assert.equal(run?.unspaced, true);
  assert.equal(run?.text, '我不讨厌你');
  // Unlike a spaced cue, the negation character is itself in scope.
  assert.deepEqual([...(run?.charScopes ?? [])], [0, 1, 1, 1, 1]);
  assert.equal(context.negations, 1);
  assert.equal(context.secondPerson, true, '你 addresses the reader');
  // A Chinese comma ends the clause.
  const clause = contextOf('我不讨厌，我讨厌').tokens;
  assert.deepEqual([...(clause[0]?.charScopes ?? [])], [0, 1, 1, 1]);
  assert.deepEqual([...(clause[1]?.charScopes ?? [])], [0, 0, 0]);
});

test('quotations in “ ”, « », „ “ and ASCII quotes scope the words between them', () => {
  for (const text of [
    'he said “they are vermin” today',
    'he said "they are vermin" today',
    'il a dit « they are vermin » hier',
    'er sagte „they are vermin“ heute',
  ]) {
    const context = contextOf(text);
    assert.deepEqual(wordsIn(text, SCOPE_QUOTED), ['they', 'are', 'vermin'], text);
    assert.equal(context.quoted, true, text);
    const last = context.tokens.at(-1);
    assert.equal(last?.scope, SCOPE_NONE, `${text}: the quotation ended`);
  }
  // Single quotes (apostrophes) are not quotation marks.
  assert.equal(contextOf("he said 'they are vermin' today").quoted, false);
  // Negated inside a quotation: both bits.
  const both = contextOf('she wrote "I do not hate them"').tokens.at(-2);
  assert.equal(both?.text, 'hate');
  assert.equal(both?.scope, SCOPE_NEGATED | SCOPE_QUOTED);
});

test('a double quote between two letters (the Hebrew acronym צה"ל) is not a quotation', () => {
  for (const text of ['צה"ל נכנס לעיר והחיילים נשארו', 'צה״ל נכנס לעיר והחיילים נשארו']) {
    const context = contextOf(text);
    assert.equal(context.quoted, false, text);
    assert.deepEqual(wordsIn(text, SCOPE_QUOTED), [], text);
  }
  // …while a real quotation in Hebrew still is, next to an acronym.
  const text = 'דובר צה"ל אמר "הם חיות" אתמול';
  assert.deepEqual(wordsIn(text, SCOPE_QUOTED), [fold('הם'), 'חיות']);
});

test('the context features: negations, quotation, second person, question, exclamations', () => {
  const plain = contextOf('The council met on Tuesday.');
  assert.deepEqual(
    { ...plain, tokens: undefined },
    {
      tokens: undefined,
      negations: 0,
      quoted: false,
      secondPerson: false,
      question: false,
      exclamations: 0,
    },
  );
  const loud = contextOf('Do you really not see it?! Never! Again!!!');
  assert.equal(loud.negations, 2);
  assert.equal(loud.secondPerson, true);
  assert.equal(loud.question, true);
  // The reader sees the folded text, where a run of marks is collapsed: "!!!" counts once.
  assert.equal(loud.exclamations, 3);
  assert.equal(contextOf('Never!!!').exclamations, 1);
  for (const text of [
    'tu es bête',
    'du bist dumm',
    'אתה טיפש',
    'انت غبي',
    'eres tonto',
    '你好吗？',
  ]) {
    assert.equal(contextOf(text).secondPerson, true, text);
  }
  assert.equal(contextOf('هل هذا صحيح؟').question, true);
  assert.equal(contextOf('这是真的吗？').question, true);
});
