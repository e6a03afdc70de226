import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  detectScript,
  LANGID_LANGUAGES,
  LanguageIdentifier,
  readLanguageSamples,
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

/**
 * Comments written for this test, none of them in models/langid: short (2–6 words) and long, for
 * each Latin-script language the samples cover.
 */
const HELD_OUT: Record<string, string[]> = {
  en: [
    'I completely agree with this.',
    'This makes no sense at all.',
    'Thanks for sharing.',
    'Where did you get those numbers?',
    'Spot on.',
    'Shame on the council.',
    'The police closed the road after the accident on Friday night.',
    'My parents still live in the house where I was born.',
    'The article forgets to mention who will pay for all of this.',
    'Our local pub is closing after fifty years, which is a real shame.',
    'I have been waiting three weeks for a reply from the town hall.',
    'What a waste of money.',
    'The players deserve a better coach than this.',
    'Nobody should have to choose between heating and eating.',
  ],
  fr: [
    "Je suis complètement d'accord.",
    "Ça n'a aucun sens.",
    'Merci pour le partage.',
    "D'où viennent ces chiffres ?",
    'Bien vu.',
    'Honte à la mairie.',
    "La police a fermé la route après l'accident de vendredi soir.",
    'Mes parents habitent toujours dans la maison où je suis né.',
    "L'article oublie de dire qui va payer tout ça.",
    'Le bistrot du quartier ferme après cinquante ans, quel dommage.',
    "J'attends une réponse de la mairie depuis trois semaines.",
    "Quel gaspillage d'argent.",
    'Les joueurs méritent mieux que cet entraîneur.',
    'Personne ne devrait avoir à choisir entre se chauffer et manger.',
  ],
  es: [
    'Estoy completamente de acuerdo.',
    'Esto no tiene ningún sentido.',
    'Gracias por compartirlo.',
    '¿De dónde salen esas cifras?',
    'Muy bien visto.',
    'Qué vergüenza de ayuntamiento.',
    'La policía cortó la carretera después del accidente del viernes.',
    'Mis padres siguen viviendo en la casa donde nací.',
    'El artículo no dice quién va a pagar todo esto.',
    'El bar del barrio cierra después de cincuenta años, qué lástima.',
    'Llevo tres semanas esperando una respuesta del ayuntamiento.',
    'Menudo derroche de dinero.',
    'Los jugadores merecen un entrenador mejor.',
    'Nadie debería tener que elegir entre calefacción y comida.',
  ],
  de: [
    'Da stimme ich voll zu.',
    'Das ergibt überhaupt keinen Sinn.',
    'Danke fürs Teilen.',
    'Woher stammen diese Zahlen?',
    'Gut beobachtet.',
    'Schämt euch, Stadtrat.',
    'Die Polizei hat die Straße nach dem Unfall am Freitagabend gesperrt.',
    'Meine Eltern wohnen immer noch in dem Haus, in dem ich geboren bin.',
    'Im Artikel steht nicht, wer das alles bezahlen soll.',
    'Unsere Stammkneipe schließt nach fünfzig Jahren, wirklich schade.',
    'Ich warte seit drei Wochen auf eine Antwort vom Rathaus.',
    'Was für eine Geldverschwendung.',
    'Die Spieler haben einen besseren Trainer verdient.',
    'Niemand sollte zwischen Heizen und Essen wählen müssen.',
  ],
  pt: [
    'Concordo totalmente com isso.',
    'Isso não faz nenhum sentido.',
    'Obrigada por compartilhar.',
    'De onde vêm esses números?',
    'Muito bem observado.',
    'Que vergonha da prefeitura.',
    'A polícia fechou a estrada depois do acidente de sexta à noite.',
    'Os meus pais ainda moram na casa onde eu nasci.',
    'A matéria não diz quem vai pagar tudo isso.',
    'O bar do bairro vai fechar depois de cinquenta anos, uma pena.',
    'Estou esperando há três semanas uma resposta da prefeitura.',
    'Que desperdício de dinheiro.',
    'Os jogadores merecem um técnico melhor.',
    'Ninguém deveria ter que escolher entre aquecimento e comida.',
  ],
};

const samplesDir = fileURLToPath(new URL('../../models/langid/', import.meta.url));
const samples = readLanguageSamples(samplesDir);
const full = new LanguageIdentifier(trainLatinLanguageModel(samples));

test('the samples cover the five Latin-script languages with about 60 lines each', () => {
  assert.deepEqual(LANGID_LANGUAGES, ['en', 'fr', 'es', 'de', 'pt']);
  assert.deepEqual(Object.keys(samples), [...LANGID_LANGUAGES]);
  for (const language of LANGID_LANGUAGES) {
    const lines = samples[language] ?? [];
    assert.ok(lines.length >= 55, `${language}: ${lines.length} lines`);
    assert.ok(lines.every((line) => line.trim() !== ''));
    assert.ok(
      lines.some((line) => line.split(/\s+/).length <= 4),
      `${language}: some short comments`,
    );
  }
  const all = new Set(Object.values(samples).flat());
  for (const sentence of Object.values(HELD_OUT).flat()) assert.ok(!all.has(sentence), sentence);
});

test('held-out comments: at least 90% right in each Latin-script language', () => {
  for (const language of LANGID_LANGUAGES) {
    const sentences = HELD_OUT[language] ?? [];
    assert.ok(sentences.length >= 10);
    const wrong = sentences
      .map((text) => [text, full.identify(text)] as const)
      .filter(([, got]) => got !== language);
    const accuracy = 1 - wrong.length / sentences.length;
    assert.ok(
      accuracy >= 0.9,
      `${language}: ${accuracy.toFixed(2)}, wrong: ${JSON.stringify(wrong)}`,
    );
  }
});

test('short comments are told apart, Portuguese from Spanish and French', () => {
  const cases: [string, string][] = [
    ['Isso não faz nenhum sentido.', 'pt'],
    ['Esto no tiene ningún sentido.', 'es'],
    ["Ça n'a aucun sens.", 'fr'],
    ['Das ergibt überhaupt keinen Sinn.', 'de'],
    ['This makes no sense at all.', 'en'],
    ['Os jogadores merecem um técnico melhor.', 'pt'],
    ['Los jugadores merecen un entrenador mejor.', 'es'],
    ['Les joueurs méritent mieux que cet entraîneur.', 'fr'],
    ['Unsere Stammkneipe schließt, schade.', 'de'],
  ];
  for (const [text, language] of cases) assert.equal(full.identify(text), language, text);
});

test('the writing system still decides Arabic, Hebrew and Chinese', () => {
  assert.equal(full.identify('هذا المقال ممتاز، شكرا للكاتب'), 'ar');
  assert.equal(full.identify('כתבה מצוינת, תודה רבה'), 'he');
  assert.equal(full.identify('这篇文章写得很好，谢谢'), 'zh');
  assert.equal(full.identify('12345 !!!'), 'und');
});

test('without a single known feature Latin text is English, as before', () => {
  const threeLanguages = new LanguageIdentifier(model);
  for (const identifier of [threeLanguages, full]) {
    assert.equal(identifier.identify('zzz qwx'), 'en');
    assert.equal(identifier.identifyLatin(''), 'en');
  }
  assert.equal(full.identifyAmong('zzz qwx', ['fr', 'es']), 'fr');
  assert.equal(full.identifyAmong('zzz qwx', ['pt', 'en']), 'en');
});

test('identifyAmong keeps to the languages the request names', () => {
  const portuguese = 'Os meus pais ainda moram na casa onde eu nasci.';
  assert.equal(full.identifyAmong(portuguese, ['pt', 'es']), 'pt');
  assert.equal(full.identifyAmong(portuguese, ['es', 'fr']), 'es');
  assert.equal(full.identifyAmong('Merci pour le partage.', ['en', 'fr']), 'fr');
  assert.equal(full.identifyAmong('Merci pour le partage.', ['de', 'en']), 'en');
  assert.equal(full.identifyAmong('Danke fürs Teilen.', ['en', 'de', 'pt']), 'de');
  // The script's language when allowed, else the likeliest allowed Latin language.
  assert.equal(full.identifyAmong('שלום לכולם', ['he', 'en']), 'he');
  assert.equal(full.identifyAmong('مرحبا بكم', ['en', 'ar']), 'ar');
  assert.equal(full.identifyAmong('大家好', ['fr']), 'fr');
  // None of the allowed known to the model: what identify says.
  assert.equal(full.identifyAmong(portuguese, ['ja', 'ko']), 'pt');
  assert.equal(full.identifyAmong('大家好', ['ar']), 'zh');
  // A model trained before German and Portuguese came still loads and answers.
  const threeLanguages = new LanguageIdentifier(model);
  assert.equal(threeLanguages.identifyAmong('le chien est allé au jardin', ['de', 'pt']), 'fr');
  assert.equal(threeLanguages.identifyAmong('le chien est allé au jardin', ['de', 'es']), 'es');
});
