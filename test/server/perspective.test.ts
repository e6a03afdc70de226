/**
 * The Perspective-compatible analysis endpoint, on both engines: keys created and revoked by
 * admins, Perspective's request and response shapes, its error shapes, per-key rate limits, and
 * that nothing sent is stored. A small deterministic classifier stands in for the shipped model
 * (whose own quality is tested in test/classifier).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  Classifier,
  ClassifierScores,
  WordWeight,
} from '../../src/domain/moderation/phases/classifier.ts';
import {
  ATTRIBUTE_LABELS,
  buildAnalyzeResponse,
  LANGUAGES,
  normaliseLanguage,
  parseAnalyzeRequest,
  PerspectiveError,
  sentenceSpans,
} from '../../src/domain/perspective/analyze.ts';
import { serializeRequest } from '../../src/server/app.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

/**
 * Scores "idiot" as toxic and an insult, "kill" as a threat, "damn" as profanity, "buy now" as
 * spam, in `language`.
 */
function wordScores(text: string, language: string): ClassifierScores {
  const lower = text.toLowerCase();
  const idiot = lower.includes('idiot');
  return {
    scores: {
      toxicity: idiot ? 0.9 : 0.1,
      severe_toxicity: idiot ? 0.3 : 0.01,
      identity_attack: 0.05,
      insult: idiot ? 0.85 : 0.03,
      profanity: lower.includes('damn') ? 0.7 : 0.02,
      threat: lower.includes('kill') ? 0.8 : 0.02,
      spam: lower.includes('buy now') ? 0.95 : 0.01,
    },
    language,
    model: 'test-words',
  };
}

/** The words scored, as classify() does; Arabic script as ar, anything else as en. */
const wordClassifier: Classifier = {
  classify: (text) => wordScores(text, /\p{Script=Arabic}/u.test(text) ? 'ar' : 'en'),
};

/** Where each of `words` occurs in `text`, with how far each score falls without it. */
function wordWeights(text: string, words: Record<string, WordWeight['drops']>): WordWeight[] {
  return Object.entries(words).flatMap(([word, drops]) => {
    const begin = text.toLowerCase().indexOf(word);
    return begin < 0 ? [] : [{ begin, end: begin + word.length, text: word, drops }];
  });
}

/**
 * `wordClassifier` with what the shipped one adds: classifyIn (the language is the first of those
 * given) and explain; it records how it was called.
 */
function explainingClassifier() {
  const calls: { method: string; text: string; languages?: readonly string[] }[] = [];
  const classifier: Classifier = {
    classify(text) {
      calls.push({ method: 'classify', text });
      return wordScores(text, 'en');
    },
    classifyIn(text, languages) {
      calls.push({ method: 'classifyIn', text, languages });
      return wordScores(text, languages[0] ?? 'en');
    },
    explain(text, languages) {
      calls.push({ method: 'explain', text, ...(languages && { languages }) });
      return wordWeights(text, {
        idiot: { toxicity: 0.6, insult: 0.7 },
        kill: { threat: 0.5, toxicity: 0.1 },
      });
    },
  };
  return { classifier, calls };
}

describe('Perspective request parsing', () => {
  const valid = { comment: { text: 'hello' }, requestedAttributes: { TOXICITY: {} } };

  it('accepts the minimal request and keeps the options', () => {
    const parsed = parseAnalyzeRequest({
      ...valid,
      languages: ['en-US'],
      doNotStore: true,
      clientToken: 'abc',
      spanAnnotations: true,
    });
    assert.deepEqual(parsed.attributes, [{ name: 'TOXICITY', threshold: null }]);
    assert.deepEqual(parsed.languages, ['en']);
    assert.equal(parsed.doNotStore, true);
    assert.equal(parsed.clientToken, 'abc');
  });

  it('accepts every language the classifier serves, German and Portuguese included', () => {
    assert.deepEqual([...LANGUAGES].sort(), ['ar', 'de', 'en', 'es', 'fr', 'he', 'pt', 'zh']);
    const parsed = parseAnalyzeRequest({ ...valid, languages: ['de-DE', 'pt-BR', 'pt', 'iw'] });
    assert.deepEqual(parsed.languages, ['de', 'pt', 'he']);
  });

  it('names an attribute for every label, each its own score', () => {
    assert.deepEqual(Object.keys(ATTRIBUTE_LABELS).sort(), [
      'IDENTITY_ATTACK',
      'INSULT',
      'PROFANITY',
      'SEVERE_TOXICITY',
      'SPAM',
      'THREAT',
      'TOXICITY',
    ]);
    const request = parseAnalyzeRequest({
      comment: { text: 'you damn idiot' },
      requestedAttributes: Object.fromEntries(Object.keys(ATTRIBUTE_LABELS).map((a) => [a, {}])),
    });
    const whole = wordScores('you damn idiot', 'en');
    const response = buildAnalyzeResponse(request, whole, null);
    for (const [attribute, label] of Object.entries(ATTRIBUTE_LABELS)) {
      const scored = response.attributeScores[attribute] as { summaryScore: { value: number } };
      assert.equal(scored.summaryScore.value, whole.scores[label], attribute);
    }
  });

  it('refuses what Perspective refuses, in its error shape', () => {
    const cases: [unknown, RegExp][] = [
      [null, /JSON object/],
      [{ requestedAttributes: { TOXICITY: {} } }, /comment.text/],
      [{ ...valid, comment: { text: '   ' } }, /non-empty/],
      [{ ...valid, comment: { text: 'x'.repeat(20_481) } }, /too long/],
      [{ ...valid, requestedAttributes: {} }, /at least one/],
      [{ ...valid, requestedAttributes: { FLIRTATION: {} } }, /Unknown requested attribute/],
      [{ ...valid, requestedAttributes: { constructor: {} } }, /Unknown requested attribute/],
      [{ ...valid, requestedAttributes: { __defineGetter__: {} } }, /Unknown requested attribute/],
      [{ ...valid, requestedAttributes: { TOXICITY: { scoreType: 'STD_DEV' } } }, /scoreType/],
      [{ ...valid, requestedAttributes: { TOXICITY: { scoreThreshold: 2 } } }, /between 0 and 1/],
      [{ ...valid, languages: ['is'] }, /does not support request languages: is/],
      [{ ...valid, languages: 'en' }, /list of language codes/],
      [{ ...valid, doNotStore: 'yes' }, /doNotStore/],
    ];
    for (const [body, message] of cases) {
      assert.throws(
        () => parseAnalyzeRequest(body),
        (error: unknown) =>
          error instanceof PerspectiveError &&
          error.httpStatus === 400 &&
          error.status === 'INVALID_ARGUMENT' &&
          message.test(error.message),
        `expected ${message} for ${JSON.stringify(body)?.slice(0, 80)}`,
      );
    }
  });

  it('normalises language codes and splits sentences in every script', () => {
    assert.equal(normaliseLanguage('zh-Hans'), 'zh');
    assert.equal(normaliseLanguage('iw'), 'he');
    assert.equal(normaliseLanguage('FR_ca'), 'fr');
    const text = 'First one. Second!  第三句。 رابع؟';
    const spans = sentenceSpans(text).map(([b, e]) => text.slice(b, e));
    assert.deepEqual(spans, ['First one.', 'Second!', '第三句。', 'رابع؟']);
  });

  it('masks the key in logged request URLs', () => {
    const logged = serializeRequest({
      method: 'POST',
      url: '/v1alpha1/comments:analyze?alt=json&key=pk_secret123&x=1',
      host: 'parley.test',
      ip: '127.0.0.1',
      socket: { remotePort: 5555 },
    } as never);
    assert.equal(logged.url, '/v1alpha1/comments:analyze?alt=json&key=[redacted]&x=1');
    assert.doesNotMatch(JSON.stringify(logged), /pk_secret123/);
  });
});

for (const engine of await testEngines()) {
  describe(`Perspective-compatible endpoint (${engine})`, () => {
    let app: TestApp;
    let adminToken: string;
    let key: string;
    let keyId: string;

    before(async () => {
      app = await createTestApp(engine, {}, { classifier: wordClassifier });
      adminToken = await app.admin();
      const created = await app.request({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        token: adminToken,
        body: { name: 'Coral staging', ratePerMinute: 20 },
      });
      assert.equal(created.status, 201, created.text);
      key = created.json.key;
      keyId = created.json.apiKey.id;
    });
    after(async () => app.close());

    const analyze = (body: unknown, options: { key?: string | null; header?: boolean } = {}) => {
      const k = options.key === undefined ? key : options.key;
      const query = k !== null && !options.header ? `?key=${encodeURIComponent(k)}` : '';
      return app.request({
        method: 'POST',
        url: `/v1alpha1/comments:analyze${query}`,
        body,
        origin: null,
        headers: k !== null && options.header ? { 'x-goog-api-key': k } : {},
      });
    };

    it('lets only admins manage keys, and shows a key once', async () => {
      const reader = await app.signup('Curious');
      await app.store.db
        .updateTable('users')
        .set({ role: 'moderator' })
        .where('id', '=', reader.id)
        .execute();
      for (const [method, url] of [
        ['GET', '/api/v1/admin/api-keys'],
        ['POST', '/api/v1/admin/api-keys'],
        ['DELETE', `/api/v1/admin/api-keys/${keyId}`],
      ] as const) {
        const body = method === 'POST' ? { name: 'mine' } : undefined;
        assert.equal((await app.request({ method, url, body })).status, 401, url);
        const refused = await app.request({ method, url, body, token: reader.token });
        assert.equal(refused.status, 403, `${method} ${url}`);
      }
      const listed = await app.request({
        method: 'GET',
        url: '/api/v1/admin/api-keys',
        token: adminToken,
      });
      assert.equal(listed.status, 200);
      assert.equal(listed.json.keys[0].prefix, key.slice(0, 10));
      assert.doesNotMatch(listed.text, new RegExp(key.slice(10)));
    });

    it('answers in Perspective’s response format', async () => {
      const response = await analyze({
        comment: { text: 'You idiot. I will kill you.' },
        requestedAttributes: { TOXICITY: {}, THREAT: {}, SPAM: {}, SEVERE_TOXICITY: {} },
        spanAnnotations: true,
        clientToken: 'req-1',
        doNotStore: true,
      });
      assert.equal(response.status, 200, response.text);
      const body = response.json;
      assert.deepEqual(body.attributeScores.TOXICITY.summaryScore, {
        value: 0.9,
        type: 'PROBABILITY',
      });
      assert.equal(body.attributeScores.THREAT.summaryScore.value, 0.8);
      assert.equal(body.attributeScores.SPAM.summaryScore.value, 0.01);
      assert.ok(body.attributeScores.SEVERE_TOXICITY.summaryScore.value < 0.9);
      assert.deepEqual(
        body.attributeScores.THREAT.spanScores.map(
          (s: { begin: number; end: number; score: { value: number } }) => [
            s.begin,
            s.end,
            s.score.value,
          ],
        ),
        [
          [0, 10, 0.02],
          [11, 27, 0.8],
        ],
      );
      // This classifier cannot explain: a score per sentence.
      const text = 'You idiot. I will kill you.';
      assert.deepEqual(
        body.attributeScores.TOXICITY.spanScores.map((s: { begin: number; end: number }) =>
          text.slice(s.begin, s.end),
        ),
        ['You idiot.', 'I will kill you.'],
      );
      assert.deepEqual(body.languages, ['en']);
      assert.deepEqual(body.detectedLanguages, ['en']);
      assert.equal(body.clientToken, 'req-1');
    });

    it('answers the calls Coral makes, with Coral’s own request bodies', async () => {
      // Coral joins "/comments:analyze" to its configured endpoint and sends the key as ?key=.
      const analyzed = await analyze({
        comment: { text: 'What an idiot take on the ceasefire.' },
        doNotStore: true,
        requestedAttributes: { SEVERE_TOXICITY: {} },
        languages: ['en'],
      });
      assert.equal(analyzed.status, 200, analyzed.text);
      assert.equal(
        typeof analyzed.json.attributeScores.SEVERE_TOXICITY.summaryScore.value,
        'number',
      );
      // When a moderator decides, Coral sends the verdict to comments:suggestscore.
      const suggested = await app.request({
        method: 'POST',
        url: `/v1alpha1/comments:suggestscore?key=${key}`,
        origin: null,
        body: {
          comment: { text: 'What an idiot take on the ceasefire.' },
          context: { entries: [{ text: '{"Coral_comment_id":"c1"}' }] },
          attributeScores: { APPROVED: { summaryScore: { value: 1 } } },
          languages: ['en'],
          communityId: 'Coral:https://news.example',
          clientToken: 'comment:c1',
        },
      });
      assert.equal(suggested.status, 200, suggested.text);
      assert.deepEqual(suggested.json, { clientToken: 'comment:c1' });
      const refused = await app.request({
        method: 'POST',
        url: `/v1alpha1/comments:suggestscore?key=${key}`,
        origin: null,
        body: { comment: { text: 'x' } },
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.json.error.status, 'INVALID_ARGUMENT');
    });

    it('takes the key from the X-Goog-Api-Key header too, and echoes requested languages', async () => {
      const response = await analyze(
        {
          comment: { text: 'مرحبا بكم', type: 'PLAIN_TEXT' },
          requestedAttributes: { TOXICITY: { scoreType: 'PROBABILITY', scoreThreshold: 0.5 } },
          languages: ['ar'],
        },
        { header: true },
      );
      assert.equal(response.status, 200, response.text);
      // Below the caller's threshold: the attribute is left out, as Perspective does.
      assert.deepEqual(response.json.attributeScores, {});
      assert.deepEqual(response.json.languages, ['ar']);
      assert.deepEqual(response.json.detectedLanguages, ['ar']);
    });

    it('accepts German and Portuguese and reports them', async () => {
      // Its own key: the first key's request count is checked below.
      const created = await app.request({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        token: adminToken,
        body: { name: 'languages' },
      });
      for (const [language, text] of [
        ['de', 'Du bist ein Idiot'],
        ['pt', 'Você é um idiota'],
      ] as const) {
        const response = await analyze(
          { comment: { text }, requestedAttributes: { TOXICITY: {} }, languages: [language] },
          { key: created.json.key },
        );
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(response.json.languages, [language]);
        assert.equal(response.json.attributeScores.TOXICITY.summaryScore.value, 0.9);
      }
    });

    it('refuses a missing, wrong or revoked key in Google’s error shape', async () => {
      const body = { comment: { text: 'hello' }, requestedAttributes: { TOXICITY: {} } };
      const missing = await analyze(body, { key: null });
      assert.equal(missing.status, 403);
      assert.equal(missing.json.error.status, 'PERMISSION_DENIED');
      assert.equal(missing.json.error.code, 403);
      const wrong = await analyze(body, { key: 'pk_not-a-key' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.json.error.status, 'INVALID_ARGUMENT');
      assert.equal(wrong.json.error.details[0].reason, 'API_KEY_INVALID');

      const spare = await app.request({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        token: adminToken,
        body: { name: 'to revoke' },
      });
      assert.equal((await analyze(body, { key: spare.json.key })).status, 200);
      const revoked = await app.request({
        method: 'DELETE',
        url: `/api/v1/admin/api-keys/${spare.json.apiKey.id}`,
        token: adminToken,
      });
      assert.equal(revoked.status, 200);
      assert.ok(revoked.json.apiKey.revokedAt);
      const after = await analyze(body, { key: spare.json.key });
      assert.equal(after.status, 400);
      assert.equal(after.json.error.details[0].reason, 'API_KEY_INVALID');
    });

    it('answers bad bodies with Perspective’s errors, never a 500', async () => {
      const unsupported = await analyze({
        comment: { text: 'hello' },
        requestedAttributes: { TOXICITY: {} },
        languages: ['xx'],
      });
      assert.equal(unsupported.status, 400);
      assert.equal(
        unsupported.json.error.details[0].errorType,
        'LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE',
      );
      const unknown = await analyze({
        comment: { text: 'hello' },
        requestedAttributes: { SEXUALLY_EXPLICIT: {} },
      });
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.error.message, /SEXUALLY_EXPLICIT/);
      const malformed = await app.request({
        method: 'POST',
        url: `/v1alpha1/comments:analyze?key=${key}`,
        raw: '{"comment":',
        origin: null,
      });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.json.error.status, 'INVALID_ARGUMENT');
    });

    it('limits each key to its own rate, and keeps only counts', async () => {
      const limited = await app.request({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        token: adminToken,
        body: { name: 'tight', ratePerMinute: 2 },
      });
      const tight = limited.json.key as string;
      const body = { comment: { text: 'a secret sentence' }, requestedAttributes: { SPAM: {} } };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await analyze(body, { key: tight })).status);
      assert.deepEqual(statuses, [200, 200, 429]);
      const over = await analyze(body, { key: tight });
      assert.equal(over.json.error.status, 'RESOURCE_EXHAUSTED');

      // Closing flushes the usage counts; nothing of the text is anywhere in the database.
      await app.app.close();
      const keys = await app.store.db.selectFrom('api_keys').selectAll().execute();
      const counts = Object.fromEntries(keys.map((k) => [k.id, Number(k.request_count)]));
      assert.equal(counts[limited.json.apiKey.id], 2);
      // Only answered requests count: four for the first key (the refused ones did not).
      assert.equal(counts[keyId], 4);
      for (const table of ['comments', 'moderation_actions', 'jobs', 'api_keys'] as const) {
        const rows = await app.store.db.selectFrom(table).selectAll().execute();
        assert.doesNotMatch(JSON.stringify(rows), /secret sentence|idiot/, table);
      }
      assert.ok(keys.every((k) => !JSON.stringify(k).includes(key.slice(10))));
    });
  });

  describe(`Perspective-compatible endpoint with a classifier that explains (${engine})`, () => {
    let app: TestApp;
    let key: string;
    const { classifier, calls } = explainingClassifier();

    before(async () => {
      app = await createTestApp(engine, {}, { classifier });
      const created = await app.request({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        token: await app.admin(),
        body: { name: 'explained' },
      });
      assert.equal(created.status, 201, created.text);
      key = created.json.key;
    });
    after(async () => app.close());

    const analyze = async (body: unknown) => {
      calls.length = 0;
      const response = await app.request({
        method: 'POST',
        url: `/v1alpha1/comments:analyze?key=${key}`,
        body,
        origin: null,
      });
      assert.equal(response.status, 200, response.text);
      return response.json;
    };

    it('passes the request’s languages to classifyIn, and reports what it chose', async () => {
      for (const [languages, expected] of [
        [['de'], ['de']],
        [['pt-BR'], ['pt']],
        [
          ['fr', 'en'],
          ['fr', 'en'],
        ],
      ]) {
        const text = 'Ein Idiot';
        const body = await analyze({
          comment: { text },
          requestedAttributes: { TOXICITY: {} },
          languages,
        });
        assert.deepEqual(calls, [{ method: 'classifyIn', text, languages: expected }]);
        assert.deepEqual(body.languages, expected);
        assert.deepEqual(body.detectedLanguages, [expected?.[0]]);
        assert.equal(body.attributeScores.TOXICITY.summaryScore.value, 0.9);
      }
      // Without languages: classify, and the language it detected.
      const body = await analyze({ comment: { text: 'hello' }, requestedAttributes: { SPAM: {} } });
      assert.deepEqual(calls, [{ method: 'classify', text: 'hello' }]);
      assert.deepEqual(body.languages, ['en']);
    });

    it('answers spanAnnotations with the words that drove each attribute', async () => {
      const text = 'Well, you idiot. Somebody should kill the referee!';
      const body = await analyze({
        comment: { text },
        requestedAttributes: { TOXICITY: {}, INSULT: {}, THREAT: {}, SPAM: {} },
        languages: ['en'],
        spanAnnotations: true,
      });
      assert.deepEqual(
        calls.map((c) => c.method),
        ['classifyIn', 'explain'],
      );
      assert.deepEqual(calls[1]?.languages, ['en'], 'explained in the request’s language');
      type Span = { begin: number; end: number; score: { value: number; type: string } };
      const spans = (attribute: string) =>
        (body.attributeScores[attribute].spanScores as Span[]).map((s) => [
          text.slice(s.begin, s.end),
          s.score.value,
        ]);
      // Word spans: begin and end slice the text to the word; each attribute its own words.
      assert.deepEqual(spans('TOXICITY'), [
        ['idiot', 0.6],
        ['kill', 0.1],
      ]);
      assert.deepEqual(spans('INSULT'), [['idiot', 0.7]]);
      assert.deepEqual(spans('THREAT'), [['kill', 0.5]]);
      assert.deepEqual(spans('SPAM'), []);
      assert.equal(body.attributeScores.TOXICITY.spanScores[0].score.type, 'PROBABILITY');
      // Without spanAnnotations, nothing is explained.
      const plain = await analyze({ comment: { text }, requestedAttributes: { TOXICITY: {} } });
      assert.equal(plain.attributeScores.TOXICITY.spanScores, undefined);
      assert.deepEqual(
        calls.map((c) => c.method),
        ['classify'],
      );
    });
  });
}
