/**
 * A site's own layer over the classifier, learned from its moderators (docs/site-models.md):
 * where it stands (admins, and moderators of the site, read it) and "retrain now" (admins).
 * Moderators of other sites find the site "not found", as on every per-site admin route.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { asModerator, siteInScope } from '../../services/moderation-actions.ts';
import type { SiteModels } from '../../services/site-models.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { ErrorBody, Id, SiteParams } from '../schemas.ts';

const security = [{ bearer: [] }];
const tags = ['moderation'];
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const ClassScore = Type.Object({
  precision: Type.Number(),
  recall: Type.Number(),
  f1: Type.Number(),
});
const RuleScore = Type.Object({
  reject: ClassScore,
  approve: ClassScore,
  macroF1: Type.Number(),
  held: Type.Integer(),
});
const ModelSummary = Type.Object({
  id: Id,
  status: Type.Union([
    Type.Literal('active'),
    Type.Literal('not_better'),
    Type.Literal('unmeasured'),
    Type.Literal('superseded'),
    Type.Literal('rolled_back'),
  ]),
  active: Type.Boolean(),
  trainedAt: Type.String({ format: 'date-time' }),
  baseModel: Type.String(),
  decisions: Type.Integer(),
  heldOut: Type.Integer(),
  base: Nullable(RuleScore),
  site: Nullable(RuleScore),
  previous: Nullable(RuleScore),
  rolledBackAt: Nullable(Type.String({ format: 'date-time' })),
  note: Nullable(Type.String()),
});
const SiteModelReport = Type.Object({
  siteId: Id,
  status: Type.Union([
    Type.Literal('disabled'),
    Type.Literal('not_enough_decisions'),
    Type.Literal('not_trained_yet'),
    Type.Literal('not_better'),
    Type.Literal('active'),
    Type.Literal('rolled_back'),
  ]),
  disabledReason: Nullable(Type.String()),
  learnFromModerators: Type.Boolean(),
  decisions: Type.Object({
    approved: Type.Integer(),
    rejected: Type.Integer(),
    sinceLastTraining: Nullable(Type.Integer()),
  }),
  needed: Type.Object({
    decisions: Type.Integer(),
    each: Type.Integer(),
    retrainAfter: Type.Integer(),
    margin: Type.Number(),
  }),
  active: Nullable(ModelSummary),
  history: Type.Array(ModelSummary),
  trainingQueued: Type.Boolean(),
});

/** Reads: the dashboard's panel polls now and then. */
const READS_PER_MINUTE = 600;
const RETRAINS_PER_MINUTE = 10;

export function siteModelRoutes(ctx: RouteContext, models: SiteModels): FastifyPluginAsyncTypebox {
  const { sites } = ctx;
  return async (app) => {
    app.get(
      '/admin/sites/:siteId/site-model',
      {
        config: { rateLimit: limitPerUser(READS_PER_MINUTE) },
        schema: {
          tags,
          summary:
            'How the site’s own layer over the classifier stands (learned from its moderators)',
          description:
            'Status, decisions learned from, and on the held-out (most recent) decisions the ' +
            'precision, recall and macro-F1 of the classifier alone (`base`) and with the layer ' +
            '(`site`). Admins, and moderators of the site.',
          security,
          params: SiteParams,
          response: { 200: Type.Object({ siteModel: SiteModelReport }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        const site = await siteInScope(sites, moderator, request.params.siteId);
        return { siteModel: await models.report(site) };
      },
    );

    app.post(
      '/admin/sites/:siteId/site-model/retrain',
      {
        config: { rateLimit: limitPerUser(RETRAINS_PER_MINUTE) },
        schema: {
          tags,
          summary: 'Train the site’s layer now (admins only); measured before it is used',
          description:
            'Queues a training (or answers with the one already queued). Logged as ' +
            '`site.model.retrain`. 409 `SITE_MODEL_UNAVAILABLE` when learning is off for the site ' +
            'or the server.',
          security,
          params: SiteParams,
          response: {
            202: Type.Object({ jobId: Type.String(), alreadyQueued: Type.Boolean() }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const moderator = asModerator(request.viewer);
        if (moderator.user.role !== 'admin') {
          throw new ParleyError('FORBIDDEN', 'Only admins may retrain a site’s model.');
        }
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        const queued = await models.requestTraining(site.id, moderator.user.id);
        return reply.status(202).send(queued);
      },
    );
  };
}
