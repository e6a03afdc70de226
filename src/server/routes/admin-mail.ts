/**
 * The mail outbox as admins read it in the dashboard (docs/identity.md, "Mail"): every account
 * mail with its delivery state, newest first; one message with its text and HTML; and a retry for
 * mail that failed or was held. Admins only: messages carry readers' addresses and live links.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { getOutboxMessage, listOutbox } from '../../mail/outbox.ts';
import { retryOutboxMessage } from '../../services/mail-outbox.ts';
import { requireRole } from '../auth.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { Paging } from '../admin-schemas.ts';
import { ErrorBody, Id } from '../schemas.ts';

const security = [{ bearer: [] }];
const tags = ['mail'];
const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const MailState = Type.Union(
  [Type.Literal('queued'), Type.Literal('sent'), Type.Literal('held'), Type.Literal('failed')],
  { description: 'held: no SMTP server configured; failed: the last attempt failed' },
);

const Mail = Type.Object({
  id: Id,
  to: Type.String(),
  template: Type.String(),
  locale: Type.String(),
  subject: Type.String(),
  state: MailState,
  attempts: Type.Integer({ description: 'Delivery attempts made' }),
  lastError: Nullable(Type.String()),
  createdAt: Time,
  sentAt: Nullable(Time),
});
const MailMessage = Type.Object({
  ...Mail.properties,
  text: Type.String(),
  html: Type.String({ description: 'Show it sandboxed: it is mail, not part of the dashboard' }),
});
const MailParams = Type.Object({ mailId: Id });

export function adminMailRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config } = ctx;
  const reads = { rateLimit: limitPerUser(config.readRateLimit) };
  const writes = { rateLimit: limitPerUser(config.writeRateLimit) };

  async function requireMessage(mailId: string) {
    const message = await getOutboxMessage(store.db, mailId);
    if (!message) throw new ParleyError('MAIL_NOT_FOUND', 'That message does not exist.');
    return message;
  }

  return async (app) => {
    app.get(
      '/admin/mail',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Account mail and its delivery state, newest first (admins only)',
          security,
          querystring: Type.Object(
            { state: Type.Optional(MailState), ...Paging },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(Mail), nextCursor: Nullable(Type.String()) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const { state, cursor, limit } = request.query;
        return listOutbox(store.db, { state }, { cursor, limit: limit ?? 50 });
      },
    );

    app.get(
      '/admin/mail/:mailId',
      {
        config: reads,
        schema: {
          tags,
          summary: 'One message as it was (or will be) sent: text and HTML (admins only)',
          security,
          params: MailParams,
          response: { 200: MailMessage, '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return requireMessage(request.params.mailId);
      },
    );

    app.post(
      '/admin/mail/:mailId/retry',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Send a failed or held message again, now (admins only)',
          security,
          params: MailParams,
          response: { 202: MailMessage, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        return reply.status(202).send(await retryOutboxMessage(store, request.params.mailId));
      },
    );
  };
}
