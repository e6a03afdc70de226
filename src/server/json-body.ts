/**
 * The JSON body parser: refuses bytes that are not valid UTF-8 (rather than silently turning them
 * into U+FFFD), bodies that are not JSON, and NUL characters anywhere in the body or the URL (no
 * text a reader writes needs one, and PostgreSQL cannot store it in a text column), each with its
 * own error code.
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
      let parsed: unknown;
      let hasNul = false;
      try {
        parsed = JSON.parse(text, (key, value: unknown) => {
          if (key.includes('\0') || (typeof value === 'string' && value.includes('\0'))) {
            hasNul = true;
          }
          return key === '__proto__' ? undefined : value;
        });
      } catch {
        done(new ParleyError('MALFORMED_JSON', 'The request body is not valid JSON.'), undefined);
        return;
      }
      if (hasNul) {
        done(new ParleyError('INVALID_UNICODE', 'The request body contains a NUL character.'));
        return;
      }
      done(null, parsed);
    },
  );
  app.addHook('onRequest', (request, _reply, done) => {
    done(
      /%00/i.test(request.url)
        ? new ParleyError('INVALID_UNICODE', 'The URL contains a NUL character.')
        : undefined,
    );
  });
}
