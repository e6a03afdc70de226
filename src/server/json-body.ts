/**
 * The JSON body parser: refuses bytes that are not valid UTF-8 (rather than silently turning them
 * into U+FFFD) and bodies that are not JSON, each with its own error code.
 */
import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../domain/errors.ts';

export function installJsonParser(app: FastifyInstance): void {
  // JSON is the only body the API takes: anything else is a 415, not a string to validate.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json\s*(;|$)/i,
    { parseAs: 'buffer' },
    (_request, body: Buffer, done) => {
      if (!isUtf8(body)) {
        done(new ParleyError('INVALID_UTF8', 'The request body is not valid UTF-8.'), undefined);
        return;
      }
      const text = body.toString('utf8');
      if (text.trim() === '') {
        done(new ParleyError('MALFORMED_JSON', 'The request body is empty.'), undefined);
        return;
      }
      try {
        done(
          null,
          JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)),
        );
      } catch {
        done(new ParleyError('MALFORMED_JSON', 'The request body is not valid JSON.'), undefined);
      }
    },
  );
}
