/**
 * Learning each newsroom's line, end to end on both engines (docs/site-models.md): site A's
 * moderators reject investment tips in crypto, which the classifier lets through; site B gets the
 * same comments and publishes them. Comments are posted through the API and decided through the
 * moderation actions; the background jobs train both sites' layers; A's is measured better on its
 * most recent decisions and activated, and then holds a new tip (and only holds: a person decides),
 * while B's is not better and B publishes the tip. A's admins can turn learning off. When A's
 * moderators change their minds and approve tips, the next training finds A's layer worse than the
 * classifier alone and rolls it back, keeping its record.
 *
 * Run with a small stand-in classifier (test/helpers/site-model.ts) always, and with the shipped
 * classifier when models/parley-2.bin is there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadShippedClassifier } from '../../src/classifier/index.ts';
import { loadConfig } from '../../src/config.ts';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { SITE_MODEL_CHECK_JOB, SITE_MODEL_TRAIN_JOB } from '../../src/services/site-model-jobs.ts';
import {
  asModerator,
  ModerationActions,
  type Moderator,
} from '../../src/services/moderation-actions.ts';
import { baseHolds } from '../../src/domain/moderation/site-model.ts';
import type { Representer } from '../../src/services/site-models.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, RELAXED_MODERATION, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import {
  abusiveComment,
  benignComment,
  cryptoTip,
  seeded,
  shippedModelPresent,
  shuffled,
  StandInClassifier,
} from '../helpers/site-model.ts';

const OTHER_ORIGIN = 'https://other.example';
const ENV = {
  PARLEY_WRITE_RATE_LIMIT: '1000000',
  PARLEY_READ_RATE_LIMIT: '1000000',
  PARLEY_THREAD_CACHE_TTL_MS: '0',
};

type Kind = 'benign' | 'crypto' | 'abuse';
interface Posted {
  id: string;
  kind: Kind;
  status: string;
}

/**
 * `strict`: the stand-in's figures are known, so B's layer must be "not better"; over the shipped
 * model B may find its own small gains, and only what B publishes is checked.
 */
function scenario(name: string, make: () => Representer, strict: boolean, skip: string | false) {
  for (const engine of engines) {
    describe(`site models end to end, ${name} (${engine})`, { skip }, () => {
      let app: TestApp;
      let siteB: Site;
      let admin: string;
      let moderator: Moderator;
      let actions: ModerationActions;
      let reader: { token: string; id: string };
      let storyA: string;
      let storyB: string;
      let firstModel: string;
      let classifier: Representer;
      /** A new tip the layer held (and the classifier alone would not have). */
      let heldTip: string;
      const random = seeded(20260601);

      const siteA = () => app.site.id;

      async function post(story: string, text: string, origin?: string): Promise<Posted> {
        const response = await app.request({
          method: 'POST',
          url: `/api/v1/stories/${story}/comments`,
          token: reader.token,
          // Abuse is first sent back to its author with a suggestion to revise; posted anyway.
          body: { body: text, postAnyway: true },
          ...(origin && { origin }),
        });
        assert.equal(response.status, 201, response.text);
        return {
          id: response.json.comment.id,
          kind: 'benign',
          status: response.json.comment.status,
        };
      }

      async function postAll(story: string, texts: [Kind, string][], origin?: string) {
        const out: Posted[] = [];
        for (const [kind, text] of texts) out.push({ ...(await post(story, text, origin)), kind });
        return out;
      }

      /** The moderators' decisions, in the order given. */
      async function decide(comments: Posted[], line: (kind: Kind) => 'approve' | 'reject') {
        for (const comment of comments) {
          const verdict = line(comment.kind);
          await actions.onComment(moderator, comment.id, verdict, {
            ...(verdict === 'reject' && {
              reason: comment.kind === 'abuse' ? 'ABUSE' : 'OFF_TOPIC',
            }),
          });
        }
      }

      const batch = (counts: Record<Kind, number>): [Kind, string][] =>
        shuffled(
          [
            ...Array.from({ length: counts.benign }, (): [Kind, string] => [
              'benign',
              benignComment(random),
            ]),
            ...Array.from({ length: counts.crypto }, (): [Kind, string] => [
              'crypto',
              cryptoTip(random),
            ]),
            ...Array.from({ length: counts.abuse }, (): [Kind, string] => [
              'abuse',
              abusiveComment(random),
            ]),
          ],
          random,
        );

      async function report(siteId: string) {
        const response = await app.request({
          method: 'GET',
          url: `/api/v1/admin/sites/${siteId}/site-model`,
          token: admin,
        });
        assert.equal(response.status, 200, response.text);
        return response.json.siteModel;
      }

      async function moderation(commentId: string) {
        const response = await app.request({
          method: 'GET',
          url: `/api/v1/admin/comments/${commentId}`,
          token: admin,
        });
        assert.equal(response.status, 200, response.text);
        return response.json.item.comment.moderation;
      }

      before(async () => {
        classifier = make();
        app = await createTestApp(engine, ENV, { classifier });
        siteB = await insertSite(app.store.db, {
          name: 'Other News',
          allowedOrigins: [OTHER_ORIGIN],
          editWindowSeconds: 300,
          maxDepth: 3,
          moderation: RELAXED_MODERATION,
        });
        await app.sites.refresh();
        admin = await app.admin();
        const user = await insertUser(app.store.db, {
          email: `desk.${Date.now()}@example.com`,
          displayName: 'Desk',
          passwordHash: null,
          role: 'moderator',
        });
        assert.ok(user);
        moderator = asModerator(user);
        actions = new ModerationActions(app.store, () => undefined);
        reader = await app.signup('Reader');
        storyA = await app.story('markets');
        const resolved = await app.request({
          method: 'POST',
          url: '/api/v1/stories/resolve',
          origin: OTHER_ORIGIN,
          body: { url: `${OTHER_ORIGIN}/news/markets`, storyId: 'markets' },
        });
        assert.equal(resolved.status, 200, resolved.text);
        storyB = resolved.json.story.id;
      });
      after(async () => app.close());

      it('learns nothing before a site has enough decisions', async () => {
        const a = await report(siteA());
        assert.equal(a.status, 'not_enough_decisions');
        assert.deepEqual(a.decisions, { approved: 0, rejected: 0, sinceLastTraining: null });
        assert.deepEqual(a.needed, { decisions: 200, each: 30, retrainAfter: 100, margin: 0.02 });
        assert.equal(a.active, null);
        assert.deepEqual(await app.siteModels.dueSites(), []);
      });

      it('trains on each site’s decisions and activates A’s layer, measured better', async (t) => {
        const texts = batch({ benign: 170, crypto: 100, abuse: 30 });
        const onA = await postAll(storyA, texts);
        const onB = await postAll(storyB, texts, OTHER_ORIGIN);
        const baseHeldTips = onA.filter((c) => c.kind === 'crypto' && c.status !== 'approved');
        t.diagnostic(`the classifier alone holds ${baseHeldTips.length} of 100 tips`);
        // A rejects tips and abuse; B rejects abuse only.
        await decide(onA, (kind) => (kind === 'benign' ? 'approve' : 'reject'));
        await decide(onB, (kind) => (kind === 'abuse' ? 'reject' : 'approve'));
        assert.deepEqual((await app.siteModels.dueSites()).sort(), [siteA(), siteB.id].sort());
        assert.equal((await report(siteA())).status, 'not_trained_yet');

        // The periodic check queues a training per site due one; the worker runs them.
        await enqueueJob(app.store.db, SITE_MODEL_CHECK_JOB, {});
        await app.worker.drain();
        const jobs = await app.store.db
          .selectFrom('jobs')
          .select(['kind', 'done_at', 'last_error', 'run_at'])
          .where('kind', 'in', [SITE_MODEL_CHECK_JOB, SITE_MODEL_TRAIN_JOB])
          .execute();
        assert.equal(jobs.filter((j) => j.kind === SITE_MODEL_TRAIN_JOB).length, 2);
        for (const job of jobs) {
          if (job.kind === SITE_MODEL_TRAIN_JOB) assert.equal(job.last_error, null);
        }
        assert.ok(
          jobs.some((j) => j.kind === SITE_MODEL_CHECK_JOB && j.done_at === null),
          'the next check is planned',
        );

        const a = await report(siteA());
        t.diagnostic(`site A: ${JSON.stringify({ base: a.active?.base, site: a.active?.site })}`);
        assert.equal(a.status, 'active', JSON.stringify(a.history));
        assert.deepEqual(a.decisions, { approved: 170, rejected: 130, sinceLastTraining: 0 });
        const active = a.active;
        assert.equal(active.decisions, 300);
        assert.equal(active.heldOut, 60, 'the most recent fifth');
        assert.equal(active.baseModel, app.siteModels.baseModel);
        assert.ok(active.site.macroF1 >= active.base.macroF1 + 0.02);
        assert.ok(active.site.reject.recall > active.base.reject.recall, 'it finds the tips');
        for (const rule of [active.base, active.site]) {
          for (const key of ['precision', 'recall', 'f1']) {
            assert.ok(rule.reject[key] >= 0 && rule.reject[key] <= 1);
            assert.ok(rule.approve[key] >= 0 && rule.approve[key] <= 1);
          }
        }
        assert.ok(Date.parse(active.trainedAt) <= Date.now());
        firstModel = active.id;

        const b = await report(siteB.id);
        t.diagnostic(`site B: ${b.status} ${JSON.stringify(b.history[0]?.site)}`);
        if (strict) {
          assert.equal(b.status, 'not_better');
          assert.equal(b.active, null);
          assert.equal(b.history[0].status, 'not_better');
        }

        const audit = await app.store.db
          .selectFrom('moderation_actions')
          .select(['action', 'actor_id', 'site_id'])
          .where('action', 'like', 'site.model.%')
          .execute();
        assert.deepEqual(
          audit.filter((e) => e.site_id === siteA()).map((e) => [e.action, e.actor_id]),
          [['site.model.activate', null]],
        );
      });

      it('holds new tips on A (never rejects them), and leaves B and other comments alone', async (t) => {
        // Phrasings no moderator has decided, that the classifier alone lets through.
        const fresh = seeded(99);
        const passing = async (make: () => string) => {
          const out: string[] = [];
          for (let tries = 0; out.length < 10 && tries < 1000; tries++) {
            const text = make();
            const { scores } = await classifier.classify(text);
            if (!out.includes(text) && !baseHolds(scores, 0.5)) out.push(text);
          }
          assert.equal(out.length, 10, 'the classifier alone lets such comments through');
          return out;
        };
        let heldOnA = 0;
        for (const tip of await passing(() => cryptoTip(fresh, true))) {
          const onA = await post(storyA, tip);
          assert.notEqual(onA.status, 'rejected', 'the layer never rejects');
          const onThisSite = await moderation(onA.id);
          if (onThisSite.reasons.some((r: { code: string }) => r.code === 'SITE_MODEL_HOLD')) {
            heldOnA++;
            heldTip ??= tip;
            assert.equal(onA.status, 'pending');
            assert.ok(onThisSite.tags.includes('site-model'));
            assert.ok(onThisSite.scores.site_model >= 0.5);
          } else {
            assert.ok(onThisSite.scores.site_model < 0.5);
          }
          const onB = await post(storyB, tip, OTHER_ORIGIN);
          assert.equal(onB.status, 'approved', `B publishes “${tip}”`);
          assert.equal((await moderation(onB.id)).scores.site_model, undefined, 'B has no layer');
        }
        let published = 0;
        for (const text of await passing(() => benignComment(fresh, true))) {
          if ((await post(storyA, text)).status === 'approved') published++;
        }
        t.diagnostic(`A held ${heldOnA} of 10 new tips and published ${published} of 10 others`);
        // Over the shipped network the layer is measured, not perfect: most new tips are held,
        // most other comments published (the held-out figures above are what decide its use).
        assert.ok(heldOnA >= (strict ? 10 : 6), `held ${heldOnA} of 10 new tips`);
        assert.ok(published >= (strict ? 10 : 7), `published ${published} of 10 other comments`);
      });

      it('can be turned off in the site’s settings', async () => {
        const patch = (learnFromModerators: boolean) =>
          app.request({
            method: 'PATCH',
            url: `/api/v1/admin/sites/${siteA()}/settings`,
            token: admin,
            body: { moderation: { learnFromModerators } },
          });
        const off = await patch(false);
        try {
          assert.equal(off.status, 200, off.text);
          assert.equal(off.json.site.moderation.learnFromModerators, false);
          assert.equal((await post(storyA, heldTip)).status, 'approved');
          const a = await report(siteA());
          assert.equal(a.status, 'disabled');
          assert.equal(a.learnFromModerators, false);
          assert.match(a.disabledReason, /site’s settings/);
          assert.equal(a.active.id, firstModel, 'kept, and used again once turned back on');
        } finally {
          assert.equal((await patch(true)).status, 200);
        }
        assert.equal((await post(storyA, heldTip)).status, 'pending');
      });

      it('rolls A’s layer back when its moderators come to approve tips', async (t) => {
        const texts = batch({ benign: 30, crypto: 110, abuse: 25 });
        const posted = await postAll(storyA, texts);
        const held = posted.filter((c) => c.kind === 'crypto' && c.status === 'pending').length;
        t.diagnostic(`A's layer held ${held} of 110 new tips`);
        await decide(posted, (kind) => (kind === 'abuse' ? 'reject' : 'approve'));
        assert.deepEqual(await app.siteModels.dueSites(), [siteA()]);

        // An admin asks for it now; a second request finds it queued.
        const retrain = () =>
          app.request({
            method: 'POST',
            url: `/api/v1/admin/sites/${siteA()}/site-model/retrain`,
            token: admin,
          });
        const first = await retrain();
        assert.equal(first.status, 202, first.text);
        assert.equal(first.json.alreadyQueued, false);
        const second = await retrain();
        assert.equal(second.json.jobId, first.json.jobId);
        assert.equal(second.json.alreadyQueued, true);
        assert.equal((await report(siteA())).trainingQueued, true);
        await app.worker.drain();

        const a = await report(siteA());
        t.diagnostic(`site A after: ${JSON.stringify(a.history.slice(0, 2))}`);
        assert.equal(a.status, 'rolled_back');
        assert.equal(a.active, null);
        assert.equal(a.trainingQueued, false);
        const [latest, previous] = a.history;
        assert.notEqual(latest.status, 'active');
        assert.equal(previous.id, firstModel, 'the rolled-back layer is kept');
        assert.equal(previous.status, 'rolled_back');
        assert.equal(previous.active, false);
        assert.ok(previous.rolledBackAt);
        assert.match(previous.note, /macro-F1/);
        assert.ok(latest.previous.macroF1 < latest.base.macroF1, 'measured worse than the base');

        // The tip the layer held is published again (the classifier alone lets it through).
        assert.equal((await post(storyA, heldTip)).status, 'approved');
        const actionsLogged = await app.store.db
          .selectFrom('moderation_actions')
          .select(['action', 'actor_id'])
          .where('site_id', '=', siteA())
          .where('action', 'like', 'site.model.%')
          .orderBy('id')
          .execute();
        assert.deepEqual(
          actionsLogged.map((e) => e.action),
          [
            'site.model.activate',
            'site.model.retrain',
            'site.model.retrain',
            'site.model.rollback',
          ],
        );
      });
    });
  }
}

const engines = await testEngines();

scenario('stand-in classifier', () => new StandInClassifier(), true, false);
scenario(
  'shipped classifier',
  () => loadShippedClassifier(),
  false,
  shippedModelPresent()
    ? false
    : 'models/parley-2.bin is not there yet (the shipped model is being trained); ' +
        'this scenario runs over it once it lands',
);

for (const engine of engines) {
  describe(`site models switched off (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    before(async () => {
      app = await createTestApp(
        engine,
        { ...ENV, PARLEY_SITE_MODELS: '0' },
        {
          classifier: new StandInClassifier(),
        },
      );
      admin = await app.admin();
    });
    after(async () => app.close());

    it('reports learning off, refuses to retrain and leaves the pipeline alone', async () => {
      const status = await app.request({
        method: 'GET',
        url: `/api/v1/admin/sites/${app.site.id}/site-model`,
        token: admin,
      });
      assert.equal(status.status, 200, status.text);
      assert.equal(status.json.siteModel.status, 'disabled');
      assert.match(status.json.siteModel.disabledReason, /PARLEY_SITE_MODELS=0/);
      const retrain = await app.request({
        method: 'POST',
        url: `/api/v1/admin/sites/${app.site.id}/site-model/retrain`,
        token: admin,
      });
      assert.equal(retrain.status, 409, retrain.text);
      assert.equal(retrain.json.error.code, 'SITE_MODEL_UNAVAILABLE');
      assert.equal(app.siteModels.available, false);
      assert.deepEqual(await app.siteModels.dueSites(), []);
    });
  });
}

describe('site model configuration', () => {
  it('has documented defaults and refuses a margin that is not a fraction', () => {
    assert.deepEqual(loadConfig({}).siteModels, {
      enabled: true,
      minDecisions: 200,
      minEach: 30,
      retrainAfter: 100,
      margin: 0.02,
      maxDecisions: 20_000,
      heldOutFraction: 0.2,
      checkMinutes: 60,
    });
    const set = loadConfig({
      PARLEY_SITE_MODELS: '0',
      PARLEY_SITE_MODEL_MIN_DECISIONS: '500',
      PARLEY_SITE_MODEL_MARGIN: '0.05',
    }).siteModels;
    assert.equal(set.enabled, false);
    assert.equal(set.minDecisions, 500);
    assert.equal(set.margin, 0.05);
    assert.throws(() => loadConfig({ PARLEY_SITE_MODEL_MARGIN: 'lots' }), /MARGIN/);
    assert.throws(() => loadConfig({ PARLEY_SITE_MODEL_MIN_EACH: '2' }), /MIN_EACH/);
  });
});
