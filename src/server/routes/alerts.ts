/**
 * A moderator's own alerts for a site (docs/notifications.md, "Moderator alerts"): read and change
 * them, and send a test alert on the chosen channels. Any moderator covering the site (admins cover
 * every site) manages their own; readers and staff get 403, moderators of other sites find the site
 * "not found", as on every per-site admin route. The chat webhook's URL is a secret: it is shown
 * back masked and never logged.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { ALERT_LIMITS } from '../../notify/alerts.ts';
import { asModerator } from '../../services/moderation-actions.ts';
import {
  changeAlertSettings,
  readAlertSettings,
  testAlerts,
  type ModeratorAlertDeps,
} from '../../services/moderator-alerts.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { ErrorBody, SiteParams } from '../schemas.ts';

const security = [{ bearer: [] }];
const tags = ['moderation'];
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

// (Written out: TypeBox types a union mapped from an array as never.)
const Mode = Type.Union([Type.Literal('off'), Type.Literal('immediate'), Type.Literal('digest')], {
  description: 'off, immediate (one alert per comment), or digest (every digestMinutes)',
});
const Format = Type.Union([Type.Literal('slack'), Type.Literal('teams'), Type.Literal('discord')], {
  description: 'The chat webhook’s message format',
});
const Threshold = Type.Integer({
  minimum: ALERT_LIMITS.threshold.min,
  maximum: ALERT_LIMITS.threshold.max,
});
const DigestMinutes = Type.Integer({
  minimum: ALERT_LIMITS.digestMinutes.min,
  maximum: ALERT_LIMITS.digestMinutes.max,
});

const AlertSettings = Type.Object({
  siteId: Type.String(),
  pending: Mode,
  reported: Mode,
  digestMinutes: Type.Integer(),
  reportThreshold: Type.Integer({
    description: 'A comment reported more than this many times (0: off)',
  }),
  spikePerHour: Type.Integer({
    description: 'A story drawing this many comments in an hour (0: off)',
  }),
  byEmail: Type.Boolean(),
  email: Type.String({ description: 'Where mail alerts go: your account’s address' }),
  chatUrl: Nullable(Type.String({ description: 'Masked: scheme, host and the last 4 characters' })),
  chatFormat: Format,
  digestSentAt: Nullable(Type.String({ format: 'date-time' })),
  updatedAt: Nullable(Type.String({ format: 'date-time', description: 'Null: never saved' })),
});

const AlertSettingsBody = Type.Object(
  {
    pending: Type.Optional(Mode),
    reported: Type.Optional(Mode),
    digestMinutes: Type.Optional(DigestMinutes),
    reportThreshold: Type.Optional(Threshold),
    spikePerHour: Type.Optional(Threshold),
    byEmail: Type.Optional(Type.Boolean()),
    chatUrl: Type.Optional(
      Nullable(
        Type.String({
          maxLength: ALERT_LIMITS.chatUrlLength,
          description:
            'An incoming webhook URL (http or https); null or "" removes it; the masked value ' +
            'as shown keeps the stored one',
        }),
      ),
    ),
    chatFormat: Type.Optional(Format),
  },
  { additionalProperties: false },
);

const TestOutcome = Type.Object({
  channel: Type.Union([Type.Literal('email'), Type.Literal('chat')]),
  ok: Type.Boolean(),
  detail: Type.String(),
  status: Type.Optional(Nullable(Type.Integer())),
});

const READS_PER_MINUTE = 300;
const WRITES_PER_MINUTE = 60;
/** Each test reaches out to a chat service and writes a mail: a few a minute are plenty. */
const TESTS_PER_MINUTE = 6;

export function alertRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  const deps: ModeratorAlertDeps = {
    store,
    config,
    sites,
    log: { warn: () => undefined, info: () => undefined },
  };

  return async (app) => {
    deps.log = { warn: (m) => app.log.warn(m), info: (m) => app.log.info(m) };

    app.get(
      '/admin/sites/:siteId/alerts',
      {
        config: { rateLimit: limitPerUser(READS_PER_MINUTE) },
        schema: {
          tags,
          summary: 'Your alerts for a site (the defaults, all off, until you save them)',
          security,
          params: SiteParams,
          response: { 200: Type.Object({ alerts: AlertSettings }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        return { alerts: await readAlertSettings(deps, moderator, request.params.siteId) };
      },
    );

    app.put(
      '/admin/sites/:siteId/alerts',
      {
        config: { rateLimit: limitPerUser(WRITES_PER_MINUTE) },
        schema: {
          tags,
          summary: 'Change your alerts for a site',
          description:
            'Fields left out keep their value. digestMinutes 1–1440; reportThreshold and ' +
            'spikePerHour 0–10000 (0: off). The chat URL must be http(s) without credentials, and ' +
            'public unless the server allows private addresses (PARLEY_WEBHOOK_ALLOW_PRIVATE).',
          security,
          params: SiteParams,
          body: AlertSettingsBody,
          response: { 200: Type.Object({ alerts: AlertSettings }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        const { siteId } = request.params;
        return { alerts: await changeAlertSettings(deps, moderator, siteId, request.body) };
      },
    );

    app.post(
      '/admin/sites/:siteId/alerts/test',
      {
        config: { rateLimit: limitPerUser(TESTS_PER_MINUTE) },
        schema: {
          tags,
          summary: 'Send yourself a test alert on your saved channels, and see what happened',
          description:
            'Mail is queued to your address; the chat webhook is called now and its answer ' +
            'reported (status and the first characters it sent back). 400 when no channel is on.',
          security,
          params: SiteParams,
          response: {
            200: Type.Object({ results: Type.Array(TestOutcome) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        return { results: await testAlerts(deps, moderator, request.params.siteId) };
      },
    );
  };
}
