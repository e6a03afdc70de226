/**
 * The Digital Services Act's routes (docs/dsa.md): an author appeals a decision on their comment,
 * a moderator other than the one who decided reviews the appeal, and admins and the site's
 * moderators read the transparency report of a period as JSON or CSV. Notices of illegal content
 * are reports (POST /comments/{id}/reports, reason `illegal`); appeals wait in the `appeals`
 * queue (GET /admin/queues/appeals).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { buildReport, parsePeriod, reportCsv } from '../../domain/transparency.ts';
import { decideAppeal, fileAppeal, LIMITS } from '../../services/appeals.ts';
import { getComment } from '../../store/comments.ts';
import { asModerator, siteInScope } from '../../services/moderation-actions.ts';
import { transparencyFigures } from '../../store/appeals.ts';
import { getRecord } from '../../store/moderation/records.ts';
import { requireViewer } from '../auth.ts';
import { addressLimit } from '../address-limit.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
// Moderators' rates, as for the rest of the moderation API.
import { moderationActions, reads, writes } from './admin/moderator.ts';
import {
  Appeal,
  AppealOutcome,
  ModerationItem,
  Nullable,
  presentAppeal,
  presentItem,
} from '../admin-schemas.ts';
import { ErrorBody, Id, IdParams, SiteParams } from '../schemas.ts';

const security = [{ bearer: [] }];

const AppealBody = Type.Object(
  { text: Type.String({ maxLength: LIMITS.appeal }) },
  { additionalProperties: false },
);
const DecideBody = Type.Object(
  {
    outcome: AppealOutcome,
    note: Type.String({
      maxLength: LIMITS.reviewNote,
      description: 'Why: told to the author with the outcome',
    }),
  },
  { additionalProperties: false },
);
const TransparencyQuery = Type.Object(
  {
    from: Type.String({ maxLength: 10, description: 'First day (YYYY-MM-DD, UTC), included' }),
    to: Type.String({ maxLength: 10, description: 'Last day (YYYY-MM-DD, UTC), included' }),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  { additionalProperties: false },
);
const Counts = Type.Record(Type.String(), Type.Integer());
const TransparencyReport = Type.Object({
  site: Type.Object({ id: Id, name: Type.String() }),
  period: Type.Object({ from: Type.String(), to: Type.String() }),
  reports: Type.Object({ total: Type.Integer(), byReason: Counts }),
  decisions: Type.Object({
    total: Type.Integer(),
    automated: Type.Integer(),
    human: Type.Integer(),
    byAction: Counts,
    byReason: Counts,
  }),
  appeals: Type.Object({
    total: Type.Integer(),
    open: Type.Integer(),
    upheld: Type.Integer(),
    reversed: Type.Integer(),
    moot: Type.Integer({ description: 'Closed undecided: the decision no longer stood' }),
  }),
  restrictions: Type.Object(
    { total: Type.Integer(), suspensions: Type.Integer(), bans: Type.Integer() },
    { description: 'Suspensions and bans of accounts that wrote on the site (not undone)' },
  ),
  medianSeconds: Type.Object({
    reportToDecision: Nullable(Type.Integer()),
    heldToDecision: Nullable(Type.Integer()),
  }),
  undecided: Type.Object({ reports: Type.Integer(), held: Type.Integer() }),
});

export function dsaRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  const actions = moderationActions(ctx);

  return async (app) => {
    app.post(
      '/comments/:id/appeal',
      {
        config: { rateLimit: limitPerUser(config.writeRateLimit) },
        preHandler: addressLimit(config.writeRateLimit * 5),
        schema: {
          tags: ['appeals'],
          summary: 'Appeal the decision that took your comment down (once per decision)',
          description:
            'Only the author of a rejected comment may appeal (others: 403, or 404 for a comment ' +
            'they cannot see); a second appeal of the same decision is 409 ALREADY_APPEALED.',
          security,
          params: IdParams,
          body: AppealBody,
          response: { 201: Type.Object({ appeal: Appeal }), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const viewer = requireViewer(request);
        // A browser may write only from the comment's site's pages (or Parley's own).
        const comment = await getComment(store.db, request.params.id);
        const site = comment && (await sites.get(comment.siteId));
        const origin = request.headers.origin;
        if (site && origin && !sites.isOwn(origin) && !site.allowedOrigins.includes(origin)) {
          throw new ParleyError(
            'ORIGIN_NOT_ALLOWED',
            'This site does not allow comments from that origin.',
          );
        }
        const appeal = await fileAppeal(store, {
          viewer,
          commentId: request.params.id,
          text: request.body.text,
        });
        return reply.status(201).send({ appeal: presentAppeal(appeal) });
      },
    );

    app.post(
      '/admin/appeals/:id/decide',
      {
        config: writes,
        schema: {
          tags: ['moderation'],
          summary: 'Decide an appeal: upheld (the decision stands) or reversed (comment published)',
          description:
            'The moderator who made the decision appealed may not review it: 403 ' +
            'APPEAL_OWN_DECISION. The author is told the outcome and the explanation.',
          security,
          params: IdParams,
          body: DecideBody,
          response: {
            200: Type.Object({ appeal: Appeal, item: Nullable(ModerationItem) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        const appeal = await decideAppeal(store, actions, moderator, request.params.id, {
          outcome: request.body.outcome,
          note: request.body.note,
        });
        const record = await getRecord(store.db, appeal.commentId);
        return {
          appeal: presentAppeal(appeal),
          item: record ? presentItem(record, moderator.user.role === 'admin') : null,
        };
      },
    );

    app.get(
      '/admin/sites/:siteId/transparency',
      {
        config: reads,
        schema: {
          tags: ['moderation'],
          summary: 'The transparency report of a period (JSON, or CSV with ?format=csv)',
          description:
            'Reports received by reason, decisions by reason and by automated or human, appeals ' +
            'and their outcomes, and the median time to decide (from a report, and from a hold). ' +
            'Both dates are included; a period is at most 731 days.',
          security,
          params: SiteParams,
          querystring: TransparencyQuery,
          response: {
            200: Type.Union([TransparencyReport, Type.String({ description: 'text/csv' })]),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const moderator = asModerator(request.viewer);
        const site = await siteInScope(sites, moderator, request.params.siteId);
        const { from, to } = request.query;
        const period = parsePeriod(from, to);
        const figures = await transparencyFigures(store.db, site.id, period.from, period.to);
        const report = buildReport({ id: site.id, name: site.name }, { from, to }, figures);
        if (request.query.format !== 'csv') return report;
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="transparency-${site.id}-${from}-${to}.csv"`,
          )
          .send(reportCsv(report));
      },
    );
  };
}
