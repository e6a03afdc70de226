/**
 * Turns every failure into `{ "error": { "code", "message" } }` with the right status: Parley's own
 * errors, Fastify's (validation, body size, content type, malformed JSON), rate limiting, and
 * anything unexpected (a 500 without internals; the details go to the log).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ParleyError, type ErrorCode } from '../domain/errors.ts';

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
  // PostgreSQL gave up a transaction that collided with another (deadlock, serialisation):
  // nothing was written, and the same request may simply be sent again.
  if (fastifyError.code === '40P01' || fastifyError.code === '40001') {
    return new ParleyError('BUSY', 'Too many changes at once here; try again.');
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
      if (known.status >= 500) request.log.error({ err: error }, 'request failed');
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
