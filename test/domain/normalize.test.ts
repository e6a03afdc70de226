/**
 * Normalisation for matching: spellings a reader takes for the same word come out the same, in
 * every script Parley serves (English, French, Spanish, Arabic, Hebrew, Chinese); foldEvasions then
 * undoes leetspeak, spaced-out and stretched letters. Both are deterministic and idempotent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONFUSABLES,
  collapseRuns,
  foldEvasions,
  normalizeForMatching,
  unmaskEvasions,
} from '../../src/domain/moderation/normalize.ts';

const hex = (text: string) =>
  [...text]
    .map((c) => `U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`)
    .join(' ');

const fold = (text: string) => foldEvasions(normalizeForMatching(text));

describe('normalizeForMatching', () => {
  const cases: [name: string, input: string, expected: string][] = [
    // Latin: case, accents, compatibility forms.
    ['lower-cases', 'IDIOT Idiot', 'idiot idiot'],
    [
      'French accents',
      'Café, crème brûlée, garçon, où, naïve',
      'cafe, creme brulee, garcon, ou, naive',
    ],
    ['French ligatures', 'Cœur ÆTHER', 'coeur aether'],
    ['Spanish accents, ñ kept', 'Canción ÁRBOL año Ñandú', 'cancion arbol año ñandu'],
    ['German sharp s', 'Straße STRASSE ẞ', 'strasse strasse ss'],
    ['Turkish dotted capital I', 'İDİOT', 'idiot'],
    ['full-width Latin', 'ＦＵＣＫ', 'fuck'],
    ['mathematical bold', '𝐟𝐮𝐜𝐤', 'fuck'],
    ['circled letters', 'ⓕⓤⓒⓚ', 'fuck'],
    ['regional indicators', '🇫🇺🇨🇰', 'fuck'],
    ['negative squared letters', '🅵🆄🅲🅺', 'fuck'],
    ['small capitals', 'ꜰᴜᴄᴋ ɪᴅɪᴏᴛ', 'fuck idiot'],
    ['Zalgo marks', 'i̴̢d̸i̷o̶t̴̛', 'idiot'],
    ['decomposed accents', 'cafe\u0301', 'cafe'],
    // Invisible and bidi characters.
    ['zero-width space inside a word', 'id\u200Biot', 'idiot'],
    ['ZWJ and ZWNJ inside a word', 'i\u200Dd\u200Ciot', 'idiot'],
    ['word joiner and invisible times', 'id\u2060io\u2062t', 'idiot'],
    ['BOM inside a word', 'id\uFEFFiot', 'idiot'],
    ['soft hyphen inside a word', 'id\u00ADiot', 'idiot'],
    ['bidi override inside a word', 'id\u202Eio\u202Ct', 'idiot'],
    ['bidi isolates inside a word', 'id\u2066io\u2069t', 'idiot'],
    ['LRM, RLM and ALM', 'i\u200Ed\u200Fi\u061Cot', 'idiot'],
    ['Mongolian vowel separator', 'idi\u180Eot', 'idiot'],
    ['variation selectors', 'id\uFE0Fio\u{E0100}t', 'idiot'],
    ['tag characters', `idiot\u{E0069}\u{E0067}`, 'idiot'],
    ['Hangul filler', 'id\u3164iot', 'idiot'],
    // Homoglyphs.
    ['Cyrillic і in Latin', 'іdіot', 'idiot'],
    ['Cyrillic look-alikes', 'сосk ѕhіt аss', 'cock shit ass'],
    ['Cyrillic capitals', 'ІDІОТ', 'idiot'],
    ['Greek look-alikes', 'ιdιοτ', 'idiot'],
    ['Greek with tonos', 'ίdίότ', 'idiot'],
    ['micro sign', 'fµck', 'fuck'],
    ['dotless i', 'ıdıot', 'idiot'],
    // Arabic.
    ['Arabic alef variants', 'أحمق إحمق آحمق ٱحمق', 'احمق احمق احمق احمق'],
    ['Arabic harakat', 'مُحَمَّدٌ', 'محمد'],
    ['Arabic tatweel', 'كـــلب', 'كلب'],
    ['Arabic alef maqsura and Farsi yeh', 'مستشفى مستشفی', 'مستشفي مستشفي'],
    ['Arabic ta marbuta', 'مدرسة', 'مدرسه'],
    ['Arabic hamza carriers', 'مؤمن سئل', 'مومن سيل'],
    ['Arabic presentation forms', 'ﻛﻠﺐ', 'كلب'],
    // Hebrew.
    ['Hebrew niqqud', 'שָׁלוֹם', 'שלומ'],
    ['Hebrew cantillation', 'בְּרֵאשִׁ֖ית', 'בראשית'],
    ['Hebrew final letters', 'ך ם ן ף ץ', 'כ מ נ פ צ'],
    ['Hebrew maqaf kept as punctuation', 'כָּל־הָעָם', 'כל־העמ'],
    // Chinese and Japanese are left alone (apart from NFKC).
    ['Chinese', '你真是个傻逼吧', '你真是个傻逼吧'],
    ['Japanese voiced kana keep their marks', 'がガ', 'がガ'],
    ['half-width katakana', 'ｶﾞ', 'ガ'],
    // Whitespace.
    ['collapses and trims whitespace', '  a \t\n b\u00A0\u3000c  ', 'a b c'],
    ['empty', '', ''],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      assert.equal(normalizeForMatching(input), expected, hex(input));
    });
  }

  const equal: [name: string, spellings: string[]][] = [
    ['Arabic written four ways', ['أَحْمَق', 'احمق', 'إحمق', 'آحـمـق']],
    ['Arabic with and without harakat and tatweel', ['الْكَلْبُ', 'الكلب', 'الـكـلـب']],
    ['Hebrew with and without niqqud', ['שָׁלוֹם', 'שלום', 'שלומ']],
    ['French accented and not', ['Élève', 'eleve', 'ÉLÈVE']],
    ['full-width and ASCII', ['ＩＤＩＯＴ', 'idiot', 'IDIOT']],
    ['Russian in any case', ['ПРИВЕТ', 'привет', 'Привет']],
    ['Russian ё and е', ['ёлка', 'елка']],
    ['Greek in any case and accent', ['ΗΛΙΟΣ', 'ήλιος', 'Ήλιος']],
  ];
  for (const [name, spellings] of equal) {
    it(`${name} normalise the same`, () => {
      const expected = normalizeForMatching(spellings[0] ?? '');
      for (const spelling of spellings)
        assert.equal(normalizeForMatching(spelling), expected, spelling);
    });
  }

  it('is idempotent', () => {
    for (const [, input] of cases) {
      const once = normalizeForMatching(input);
      assert.equal(normalizeForMatching(once), once, hex(input));
    }
    for (const [, spellings] of equal) {
      for (const input of spellings) {
        const once = normalizeForMatching(input);
        assert.equal(normalizeForMatching(once), once, hex(input));
      }
    }
  });

  it('has a confusables table of single, lower-case, already-decomposed characters', () => {
    for (const [from, to] of Object.entries(CONFUSABLES)) {
      assert.equal([...from].length, 1, hex(from));
      assert.equal(from.toLowerCase(), from, hex(from));
      assert.equal(from.normalize('NFD'), from, hex(from));
      assert.equal(from.normalize('NFKC'), from, hex(from));
      assert.ok(to.length > 0);
    }
  });
});

describe('foldEvasions', () => {
  const cases: [name: string, input: string, expected: string][] = [
    ['leetspeak digits', 'id10t', 'idiot'],
    ['leetspeak digit in a short word', 'sh1t', 'shit'],
    ['all the digits', '0134578', 'oieastb'],
    ['@ as a', '@ss', 'as'],
    ['$ as s', 'a$$hole', 'ashole'],
    ['! inside a word', 'sh!t', 'shit'],
    ['| and € inside a word', 'fai| b€st', 'fail best'],
    ['! at the end of a word is punctuation', 'idiot!!!', 'idiot!'],
    ['symbols standing alone are left', '$ @ ! |', '$ @ ! |'],
    ['spaced letters', 'i d i o t', 'idiot'],
    ['dotted letters', 'i.d.i.o.t', 'idiot'],
    ['dashed letters', 'f-u-c-k you', 'fuck you'],
    ['underscored letters', 'f_u_c_k', 'fuck'],
    ['spaced and dotted letters', 'f . u . c . k', 'fuck'],
    ['spaced leetspeak', 's h 1 t', 'shit'],
    ['two single letters stay apart', 'a b', 'a b'],
    ['single letters beside words stay apart', 'a b and c', 'a b and c'],
    ['repeated letters', 'idiooooot', 'idiot'],
    ['double letters too', 'cool', 'col'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      assert.equal(fold(input), expected);
    });
  }

  const equal: [evasion: string, plain: string][] = [
    ['id10t', 'idiot'],
    ['sh1t', 'shit'],
    ['@ss', 'ass'],
    ['a$$', 'ass'],
    ['i d i o t', 'idiot'],
    ['i.d.i.o.t', 'idiot'],
    ['idiooooot', 'idiot'],
    ['ＩＤ１０Ｔ', 'idiot'],
    ['іd1ооt', 'idiot'],
    ['I-D-I-O-T', 'idiot'],
    ['cooool', 'cool'],
  ];
  for (const [evasion, plain] of equal) {
    it(`"${evasion}" folds like "${plain}"`, () => {
      assert.equal(fold(evasion), fold(plain));
    });
  }

  it('reads a leading @ as a mention when asked', () => {
    assert.equal(unmaskEvasions('@idiot you', { atAsMention: true }), 'idiot you');
    assert.equal(unmaskEvasions('@idiot you'), 'aidiot you');
    assert.equal(unmaskEvasions('b@stard', { atAsMention: true }), 'bastard');
  });

  it('is foldEvasions without collapsing runs', () => {
    assert.equal(unmaskEvasions('i d i o o o t'), 'idiooot');
    assert.equal(collapseRuns('idiooot'), 'idiot');
  });
});
