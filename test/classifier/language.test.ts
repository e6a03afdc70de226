import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  detectScript,
  LanguageIdentifier,
  trainLatinLanguageModel,
} from '../../src/classifier/language.ts';

const model = trainLatinLanguageModel({
  en: [
    'the cat is on the table and the dog is in the garden',
    'we went to the market this morning',
  ],
  fr: [
    'le chat est sur la table et le chien est dans le jardin',
    'nous sommes allés au marché ce matin',
  ],
  es: ['el gato está en la mesa y el perro está en el jardín', 'fuimos al mercado esta mañana'],
});

test('the writing system decides the non-Latin languages', () => {
  assert.equal(detectScript('مرحبا بكم'), 'ar');
  assert.equal(detectScript('שלום לכולם'), 'he');
  assert.equal(detectScript('大家好'), 'zh');
  assert.equal(detectScript('こんにちは世界'), 'ja');
  assert.equal(detectScript('Hello'), 'latin');
  assert.equal(detectScript('12345 !!!'), 'und');
});

test('the Latin model tells English, French and Spanish apart', () => {
  const identifier = new LanguageIdentifier(model);
  assert.equal(identifier.identify('the dog went to the garden'), 'en');
  assert.equal(identifier.identify('le chien est allé au jardin'), 'fr');
  assert.equal(identifier.identify('el perro fue al jardín'), 'es');
  assert.equal(identifier.identify('שלום'), 'he');
});

test('training is deterministic', () => {
  const again = trainLatinLanguageModel({
    en: [
      'the cat is on the table and the dog is in the garden',
      'we went to the market this morning',
    ],
    fr: [
      'le chat est sur la table et le chien est dans le jardin',
      'nous sommes allés au marché ce matin',
    ],
    es: ['el gato está en la mesa y el perro está en el jardín', 'fuimos al mercado esta mañana'],
  });
  assert.deepEqual(again, model);
});
