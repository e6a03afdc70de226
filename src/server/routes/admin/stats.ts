/**
 * Moderation statistics (docs/moderation-api.md): comments and reports per day and per hour,
 * how comments were decided, and the most reported stories, within the caller's scope.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  commentStats,
  decidedByStats,
  topReportedStories,
} from '../../../store/moderation/stats.ts';
import type { RouteContext } from '../../context.ts';
import { StatsQuery } from '../../admin-schemas.ts';
import { ErrorBody, Id } from '../../schemas.ts';
import { moderatorOf, reads, scopedLookups, security, tags } from './moderator.ts';

const Bucket = {
  approved: Type.Integer(),
  pending: Type.Integer(),
  rejected: Type.Integer(),
  reported: Type.Integer(),
};

export function statsRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store } = ctx;
  const { filterFor } = scopedLookups(ctx);

  return async (app) => {
    app.get(
      '/admin/stats',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Comments and reports per day and per hour, decisions, most reported stories',
          security,
          querystring: StatsQuery,
          response: {
            200: Type.Object({
              days: Type.Array(Type.Object({ date: Type.String(), ...Bucket })),
              hours: Type.Array(Type.Object({ hour: Type.String(), ...Bucket })),
              decidedBy: Type.Record(Type.String(), Type.Integer()),
              topReported: Type.Array(
                Type.Object({
                  story: Type.Object({
                    id: Id,
                    title: Type.Union([Type.String(), Type.Null()]),
                    url: Type.String(),
                  }),
                  reports: Type.Integer(),
                }),
              ),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const filter = await filterFor(moderator, request.query);
        const days = request.query.days ?? 14;
        const now = Date.now();
        const today = Date.UTC(
          new Date(now).getUTCFullYear(),
          new Date(now).getUTCMonth(),
          new Date(now).getUTCDate(),
        );
        const since = new Date(today - (days - 1) * 86_400_000);
        const hourStart = Math.floor(now / 3_600_000) * 3_600_000 - 23 * 3_600_000;
        const [byDay, byHour, decidedBy, topReported] = await Promise.all([
          commentStats(store.db, store.engine, filter, since, 'day'),
          commentStats(store.db, store.engine, filter, new Date(hourStart), 'hour'),
          decidedByStats(store.db, store.engine, filter, since),
          topReportedStories(store.db, filter),
        ]);
        const empty = { approved: 0, pending: 0, rejected: 0, reported: 0 };
        return {
          days: Array.from({ length: days }, (_, i) => {
            const date = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
            return { date, ...(byDay.get(date) ?? empty) };
          }),
          hours: Array.from({ length: 24 }, (_, i) => {
            const hour = new Date(hourStart + i * 3_600_000).toISOString().slice(0, 13);
            return { hour: `${hour}:00:00Z`, ...(byHour.get(hour) ?? empty) };
          }),
          decidedBy,
          topReported,
        };
      },
    );
  };
}
