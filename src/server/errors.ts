/**
 * Turns every failure into `{ "error": { "code", "message" } }` with the right status: Parley's own
 * errors, Fastify's (validation, body size, content type, malformed JSON), rate limiting, the
 * database failing for a moment (503 BUSY with Retry-After), and anything unexpected (a 500
 * without internals; the details go to the log).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ParleyError, type ErrorCode } from '../domain/errors.ts';
import { isTransientDatabaseError } from '../store/transient.ts';

/** When a client told 503 BUSY may try again, in seconds. */
const BUSY_RETRY_AFTER_SECONDS = 1;

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const where = error.validationContext ?? 'request';
  const path = first.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : '';
  if (first.keyword === 'additionalProperties') {
    const extra = (first.params as { additionalProperty?: string }).additionalProperty;
    return `Unknown field "${extra}" in ${where}.`;
  }
  if (first.keyword === 'required') {
    const missing = (first.params as { missingProperty?: string }).missingProperty;
    return `Missing field "${missing}" in ${where}.`;
  }
  return `Field "${path || where}" ${first.message ?? 'is invalid'}.`;
}

export function toParleyError(error: unknown): ParleyError | undefined {
  if (error instanceof ParleyError) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    return new ParleyError('VALIDATION_FAILED', describeValidation(fastifyError as FastifyError));
  }
  // The database failed for a moment (a lost connection, a collision with another transaction,
  // SQLite locked by another process): nothing was written, and the request may be sent again.
  if (isTransientDatabaseError(error)) {
    return new ParleyError('BUSY', 'The service is busy for a moment; try again.');
  }
  const code = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (code === 'BODY_TOO_LARGE') {
    return new ParleyError(code, 'The request body is too large.');
  }
  if (code === 'UNSUPPORTED_MEDIA_TYPE') {
    return new ParleyError(code, 'Send the request body as application/json.');
  }
  if (code === 'MALFORMED_JSON') {
    return new ParleyError(code, 'The request body is not valid JSON.');
  }
  if (code) return new ParleyError(code, fastifyError.message ?? 'Invalid request.');
  const status = fastifyError.statusCode;
  if (status === 429) return new ParleyError('RATE_LIMITED', 'Too many requests; try again later.');
  if (status && status >= 400 && status < 500) {
    return new ParleyError(
      status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED',
      fastifyError.message ?? 'Invalid request.',
    );
  }
  return undefined;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const known = toParleyError(error);
    if (known) {
      if (known.code === 'BUSY') {
        request.log.warn({ err: error }, 'busy');
        if (!reply.hasHeader('retry-after')) reply.header('Retry-After', BUSY_RETRY_AFTER_SECONDS);
      } else if (known.status >= 500) {
        request.log.error({ err: error }, 'request failed');
      }
      void reply.status(known.status).send(known.toJSON());
      return;
    }
    request.log.error({ err: error }, 'unhandled error');
    void reply
      .status(500)
      .send(new ParleyError('INTERNAL', 'Something went wrong on our side.').toJSON());
  });

  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(
        new ParleyError(
          'NOT_FOUND',
          `No route for ${request.method} ${request.url.split('?')[0]}.`,
        ).toJSON(),
      );
  });
}
