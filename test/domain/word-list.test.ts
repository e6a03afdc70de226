/**
 * Word lists: a compiled list finds its terms through every disguise the normaliser undoes, matches
 * whole words in spaced scripts (so "ass" spares "class") and substrings in Chinese, and reports
 * each term once, banned before suspect.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileWordList,
  type WordListEntry,
  type WordListMatch,
} from '../../src/domain/moderation/word-list.ts';

const banned = (term: string): WordListEntry => ({ term, strength: 'banned' });
const suspect = (term: string): WordListEntry => ({ term, strength: 'suspect' });
const terms = (matches: WordListMatch[]) => matches.map((m) => m.term);

const LIST: WordListEntry[] = [
  banned('ass'),
  banned('cunt'),
  banned('cock'),
  banned('fuck'),
  banned('shit'),
  suspect('idiot'),
  suspect('hell'),
  suspect('stupid*'),
  suspect('cool'),
  banned('son of a bitch'),
  suspect('shut up*'),
  banned('傻逼'),
  suspect('كلب'),
  suspect('أحمق'),
  suspect('מטומטם'),
  suspect('זין'),
  suspect('connard'),
  suspect('gilipollas'),
];
const matcher = compileWordList(LIST);

describe('compileWordList finds terms through disguises', () => {
  const hits: [name: string, text: string, expected: string[]][] = [
    ['plain word', 'You are an idiot.', ['idiot']],
    ['upper case', 'YOU IDIOT', ['idiot']],
    ['accents', 'ídíót', ['idiot']],
    ['full-width', 'ＦＵＣＫ this', ['fuck']],
    ['mathematical letters', '𝐟𝐮𝐜𝐤 this', ['fuck']],
    ['Cyrillic homoglyphs', 'what an іdіot', ['idiot']],
    ['Greek homoglyphs', 'what an ιdιοτ', ['idiot']],
    ['zero-width space inside', 'id\u200Biot', ['idiot']],
    ['soft hyphen inside', 'id\u00ADiot', ['idiot']],
    ['bidi override inside', 'id\u202Eiot', ['idiot']],
    ['leetspeak digits', 'id10t', ['idiot']],
    ['leetspeak digit', 'sh1t happens', ['shit']],
    ['@ for a', 'kiss my @ss', ['ass']],
    ['$ for s', 'a$$', ['ass']],
    ['! inside a word', 'sh!t', ['shit']],
    ['trailing punctuation', 'idiot!!! idiot?', ['idiot']],
    ['spaced letters', 'i d i o t', ['idiot']],
    ['dotted letters', 'i.d.i.o.t', ['idiot']],
    ['dashed letters', 'f-u-c-k off', ['fuck']],
    ['underscored letters', 'f_u_c_k', ['fuck']],
    ['spaced short word', 'a s s', ['ass']],
    ['stretched letters', 'idiooooot', ['idiot']],
    ['stretched double letters', 'asssss', ['ass']],
    ['double letters as listed', 'so cool', ['cool']],
    ['everything at once', 'І.D.1.О.О.Т', ['idiot']],
    ['a mention that insults', '@idiot read it again', ['idiot']],
    ['French', 'Quel connard !', ['connard']],
    ['French elision', "C'est l'idiot du village", ['idiot']],
    ['Spanish', '¡Eres un GILIPOLLAS!', ['gilipollas']],
  ];
  for (const [name, text, expected] of hits) {
    it(name, () => {
      assert.deepEqual(terms(matcher.match(text)), expected);
    });
  }
});

describe('compileWordList spares innocent words', () => {
  const misses: [name: string, text: string][] = [
    ['class (ass)', 'The class was full.'],
    ['assassin (ass)', 'An assassin was caught.'],
    ['Scunthorpe (cunt)', 'Scunthorpe United won.'],
    ['as is not ass', 'As far as I know, as usual.'],
    ['hello (hell)', 'Hello there'],
    ['shell (hell)', 'A shell company'],
    ['cocktail (cock)', 'A cocktail party'],
    ['Hitchcock (cock)', 'A Hitchcock film'],
    ['idiotic is not idiot (no star)', 'an idiotic idea'],
    ['col is not cool', 'the col du Tourmalet'],
    ['a single letter beside a word is not glued to it', 'plan a ss'],
    ['Arabic word merely containing the term', 'كلبي'],
    ['empty text', ''],
    ['only spaces and invisibles', ' \u200B \u2060 '],
  ];
  for (const [name, text] of misses) {
    it(name, () => {
      assert.deepEqual(matcher.match(text), []);
    });
  }
});

describe('compileWordList term forms', () => {
  it('a trailing * matches as a prefix', () => {
    assert.deepEqual(terms(matcher.match('stupid')), ['stupid*']);
    assert.deepEqual(terms(matcher.match('STUPIDITY')), ['stupid*']);
    assert.deepEqual(terms(matcher.match('5tup1d3st')), ['stupid*']);
    assert.deepEqual(terms(matcher.match('stupppid')), ['stupid*']);
    assert.deepEqual(matcher.match('stupi'), []);
    assert.deepEqual(matcher.match('unstupid'), []);
  });

  it('a trailing * on a phrase is a prefix of its last word', () => {
    assert.deepEqual(terms(matcher.match('just shut up')), ['shut up*']);
    assert.deepEqual(terms(matcher.match('SHUT UPPP')), ['shut up*']);
    assert.deepEqual(matcher.match('shut the door'), []);
  });

  it('a phrase matches its words in a row, whatever separates them', () => {
    for (const text of ['son of a bitch', 'Son-of-a-Bitch!', 'son, of a b1tch', 's0n of a bitch']) {
      assert.deepEqual(terms(matcher.match(text)), ['son of a bitch'], text);
    }
    assert.deepEqual(matcher.match('son of a gun'), []);
    assert.deepEqual(matcher.match('a bitch son of'), []);
  });

  it('Chinese matches as a substring of a sentence', () => {
    assert.deepEqual(terms(matcher.match('你真是个傻逼吧')), ['傻逼']);
    assert.deepEqual(terms(matcher.match('You are 傻逼!')), ['傻逼']);
    assert.deepEqual(terms(matcher.match('傻 逼')), ['傻逼']);
    assert.deepEqual(terms(matcher.match('傻.逼')), ['傻逼']);
    assert.deepEqual(terms(matcher.match('傻\u200B逼')), ['傻逼']);
    assert.deepEqual(matcher.match('你真是个傻瓜'), []);
  });

  it('Arabic matches with attached prefixes, harakat and tatweel', () => {
    for (const text of [
      'كلب',
      'والكلب',
      'الكلب',
      'بالكلب',
      'فالكلب',
      'للكلب',
      'وكلب',
      'لكلب',
      'الْكَلْبُ',
      'الكـــلب',
      'هذا الْكَــلْبُ',
    ]) {
      assert.deepEqual(terms(matcher.match(text)), ['كلب'], text);
    }
    for (const text of ['أحمق', 'احمق', 'إحمق', 'أَحْمَق', 'يا أحمـــق', 'والأحمق']) {
      assert.deepEqual(terms(matcher.match(text)), ['أحمق'], text);
    }
  });

  it('Hebrew matches with niqqud and with final or non-final letters', () => {
    for (const text of ['מטומטם', 'אתה מְטוּמְטָם', 'מטומטמ', 'מטומטם!']) {
      assert.deepEqual(terms(matcher.match(text)), ['מטומטם'], text);
    }
    for (const text of ['זין', 'זִין', 'זינ']) {
      assert.deepEqual(terms(matcher.match(text)), ['זין'], text);
    }
    assert.deepEqual(matcher.match('מזין'), []);
  });

  it('an emoji term matches as a substring', () => {
    const emoji = compileWordList([suspect('🖕')]);
    assert.deepEqual(terms(emoji.match('here 🖕🏽')), ['🖕']);
    assert.deepEqual(emoji.match('here 👍'), []);
  });
});

describe('compileWordList results', () => {
  it('lists banned terms before suspect ones, each once, in list order', () => {
    assert.deepEqual(matcher.match('idiot, shit, idiot, fuck, shit, stupid'), [
      { term: 'fuck', strength: 'banned' },
      { term: 'shit', strength: 'banned' },
      { term: 'idiot', strength: 'suspect' },
      { term: 'stupid*', strength: 'suspect' },
    ]);
  });

  it('folds duplicate terms into one, keeping the stronger strength', () => {
    const list = compileWordList([
      suspect('idiot'),
      suspect('IDIOT'),
      banned('Idiot'),
      suspect('id10t'),
      banned('jerk'),
      suspect('jerk'),
    ]);
    assert.equal(list.size, 2);
    assert.deepEqual(list.match('jerk idiot'), [
      { term: 'Idiot', strength: 'banned' },
      { term: 'jerk', strength: 'banned' },
    ]);
  });

  it('an exact and a prefix term are different terms', () => {
    const list = compileWordList([suspect('idiot'), banned('idiot*')]);
    assert.equal(list.size, 2);
    assert.deepEqual(terms(list.match('idiot')), ['idiot*', 'idiot']);
    assert.deepEqual(terms(list.match('idiots')), ['idiot*']);
  });

  it('an empty list matches nothing', () => {
    const empty = compileWordList([]);
    assert.equal(empty.size, 0);
    assert.deepEqual(empty.match('idiot fuck 傻逼'), []);
  });

  it('blank entries are ignored', () => {
    const list = compileWordList([suspect(''), suspect('   '), suspect('*'), suspect('\u200B')]);
    assert.equal(list.size, 0);
    assert.deepEqual(list.match('anything at all'), []);
  });

  it('returns fresh objects', () => {
    const first = matcher.match('idiot');
    (first[0] as WordListMatch).strength = 'banned';
    assert.deepEqual(matcher.match('idiot'), [{ term: 'idiot', strength: 'suspect' }]);
  });
});

describe('compileWordList speed', () => {
  it('matches a 300-character comment against 500 terms quickly (timing printed, not asserted)', () => {
    const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'zi', 'pu'];
    const entries: WordListEntry[] = [];
    for (let i = 0; entries.length < 495; i++) {
      const word = [i % 10, Math.floor(i / 10) % 10, Math.floor(i / 100) % 10]
        .map((n) => syllables[n])
        .join('');
      entries.push(i % 3 === 0 ? banned(word) : suspect(i % 7 === 0 ? `${word}*` : word));
    }
    entries.push(suspect('idiot'), banned('傻逼'), suspect('كلب'), suspect('son of a bitch'));
    entries.push(suspect('מטומטם'));
    const list = compileWordList(entries);
    const comment =
      "Honestly, the council's decision on the new bypass is baffling. Résidents were told the " +
      'consultation would be "genuine", yet the plan was signed off before anyone spoke. What an ' +
      'idiot move — and the café owners on Main St. will pay for it, again. Shame on every one of ' +
      'them, frankly!! Not good enough. 😡';
    assert.ok(comment.length >= 290 && comment.length <= 310, String(comment.length));
    assert.deepEqual(terms(list.match(comment)), ['idiot']);

    for (let i = 0; i < 2000; i++) list.match(comment);
    const runs = 5000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) list.match(comment);
    const micros = Number(process.hrtime.bigint() - start) / 1000 / runs;
    console.log(
      `# word-list: ${micros.toFixed(1)} µs per match (${comment.length}-character comment, ${list.size} terms, mean of ${runs})`,
    );
  });
});
