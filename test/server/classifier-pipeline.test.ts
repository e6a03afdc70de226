/**
 * The shipped classifier in the running app, on both engines: the pipeline holds a comment the
 * model scores over the site's hold threshold (scores, model and the words that drove the scores
 * stored, shown to moderators), publishes a benign one, and the analysis endpoint answers with the
 * same model.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, RELAXED_MODERATION, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`shipped classifier in the pipeline (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    before(async () => {
      app = await createTestApp(
        engine,
        { PARLEY_CLASSIFIER: '1' },
        { moderation: { ...RELAXED_MODERATION, classifier: { hold: 0.5, reject: 0.99 } } },
      );
      admin = await app.admin();
    });
    after(async () => app.close());

    it('loaded the shipped model at start', () => {
      assert.equal(app.classifier?.model, 'parley-2');
      assert.ok(
        Number.isFinite(app.classifier?.loadMs),
        'its load time is known (printed at start)',
      );
    });

    it('nudges once, then holds an abusive comment with its scores; publishes a benign one', async () => {
      const reader = await app.signup('Reader');
      const story = await app.story();
      // First the nudge: nothing is stored, the author is asked to think again.
      const draft = 'You are a stupid worthless idiot.';
      const nudged = await app.post(story, reader.token, draft);
      assert.equal(nudged.status, 422, nudged.text);
      assert.equal(nudged.json.error.code, 'REVISION_SUGGESTED');
      const mine = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${story}/comments`,
        token: reader.token,
      });
      assert.deepEqual(mine.json.pending, [], 'a nudged draft is not stored');
      // Posted anyway: held for a moderator.
      const abusive = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${story}/comments`,
        token: reader.token,
        body: { body: draft, postAnyway: true },
      });
      assert.equal(abusive.status, 201, abusive.text);
      assert.equal(abusive.json.comment.status, 'pending');
      const benign = await app.post(
        story,
        reader.token,
        'The delegations from Fatah and Hamas met in Beijing this week.',
      );
      assert.equal(benign.json.comment.status, 'approved');

      const item = await app.request({
        method: 'GET',
        url: `/api/v1/admin/comments/${abusive.json.comment.id}`,
        token: admin,
      });
      assert.equal(item.status, 200, item.text);
      const moderation = item.json.item.comment.moderation;
      assert.equal(moderation.decidedBy, 'classifier');
      assert.ok(moderation.scores.toxicity >= 0.5, JSON.stringify(moderation.scores));
      assert.deepEqual(Object.keys(moderation.scores).sort(), [
        'identity_attack',
        'insult',
        'profanity',
        'severe_toxicity',
        'spam',
        'threat',
        'toxicity',
      ]);
      assert.ok(moderation.tags.includes('model:parley-2'));
      assert.ok(moderation.tags.includes('lang:en'));
      // The words that drove the scores, for the moderator: spans of the body, each with the
      // scores it raised.
      const highlights = moderation.highlights as {
        begin: number;
        end: number;
        labels: Record<string, number>;
      }[];
      assert.ok(highlights.length > 0, JSON.stringify(moderation));
      const words = highlights.map((h) => draft.slice(h.begin, h.end));
      assert.ok(
        words.some((w) => /idiot|stupid|worthless/i.test(w)),
        `highlighted: ${words.join(', ')}`,
      );
      for (const h of highlights) {
        assert.match(draft.slice(h.begin, h.end), /^\S+$/, 'a word');
        const drops = Object.values(h.labels);
        assert.ok(drops.length > 0 && drops.every((d) => d > 0 && d <= 1));
      }
      const thread = await app.request({ method: 'GET', url: `/api/v1/stories/${story}/comments` });
      assert.deepEqual(
        thread.json.comments.map((c: { id: string }) => c.id),
        [benign.json.comment.id],
      );
    });

    it('serves the Perspective-compatible endpoint with the same model', async () => {
      const created = await app.request({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        token: admin,
        body: { name: 'pipeline test' },
      });
      const key = created.json.key as string;
      const score = async (text: string, languages: string[]) => {
        const response = await app.request({
          method: 'POST',
          url: `/v1alpha1/comments:analyze?key=${key}`,
          origin: null,
          body: { comment: { text }, requestedAttributes: { TOXICITY: {} }, languages },
        });
        assert.equal(response.status, 200, response.text);
        return response.json.attributeScores.TOXICITY.summaryScore.value as number;
      };
      assert.ok(
        (await score('أنت غبي وحقير', ['ar'])) > (await score('أهلا بكم في النقاش', ['ar'])),
      );
      assert.ok((await score('אתה אידיוט', ['he'])) > (await score('תודה על הכתבה', ['he'])));
    });
  });
}
