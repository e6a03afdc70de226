/**
 * Request validation. Bodies are validated strictly (no type coercion, no unknown properties), so a
 * number where a string belongs is a 400, not silently "123". Query strings and path parameters
 * arrive as text and are coerced to the declared types.
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = {
  allErrors: false,
  removeAdditional: false,
  useDefaults: true,
  allowUnionTypes: true,
  strict: false,
};

function make(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats.default(ajv);
  return ajv;
}

const strictBody = make({ coerceTypes: false });
const coercing = make({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strictBody : coercing;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};
