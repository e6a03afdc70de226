/**
 * The pages' API types follow the server's OpenAPI document: with a property of the server's
 * response schemas renamed (as a change to a shared TypeBox schema would), the types generated
 * from the document (scripts/openapi.ts) no longer fit the pages that read it, and their type
 * check fails in each page, at the place that reads it. The pages are checked as `npm run
 * typecheck` checks them (their own tsconfig.json), with the generated types read from memory in
 * place of build/openapi.d.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import type { OpenAPI3 } from 'openapi-typescript';
import { apiTypes, OPENAPI_TYPES, openApiDocument } from '../../scripts/openapi.ts';

const PAGES = ['embed', 'admin', 'account'] as const;
/** Read by every page: the widget's comment authors and viewer, the dashboard's and account's. */
const RENAMED = 'displayName';

/** The document with RENAMED renamed in every response schema (and nowhere else). */
function withRenamedResponseProperty(document: OpenAPI3): OpenAPI3 {
  const copy = structuredClone(document) as OpenAPI3;
  const rename = (schema: unknown): void => {
    if (Array.isArray(schema)) return schema.forEach(rename);
    if (!schema || typeof schema !== 'object') return;
    const node = schema as { properties?: Record<string, unknown>; required?: string[] };
    if (node.properties && RENAMED in node.properties) {
      node.properties[`${RENAMED}Renamed`] = node.properties[RENAMED];
      delete node.properties[RENAMED];
      node.required = node.required?.map((name) => (name === RENAMED ? `${RENAMED}Renamed` : name));
    }
    Object.values(schema).forEach(rename);
  };
  for (const item of Object.values(copy.paths ?? {})) {
    for (const operation of Object.values(item as Record<string, { responses?: unknown }>)) {
      rename(operation?.responses);
    }
  }
  return copy;
}

/** The pages' type errors, checked with `generated` as build/openapi.d.ts. */
function pageDiagnostics(generated: string): ts.Diagnostic[] {
  const parsed = PAGES.map((page) => {
    const config = ts.getParsedCommandLineOfConfigFile(
      path.resolve('web', page, 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) },
    );
    assert.ok(config && config.errors.length === 0, `web/${page}/tsconfig.json reads`);
    return config;
  });
  // One program for the three pages, which is as fast as one: their options are the same.
  const options = ({ configFilePath: _, ...rest }: ts.CompilerOptions) => rest;
  for (const config of parsed.slice(1)) {
    assert.deepEqual(options(config.options), options(parsed[0]!.options));
  }
  const host = ts.createCompilerHost(parsed[0]!.options);
  const isGenerated = (file: string) => path.resolve(file) === OPENAPI_TYPES;
  const { fileExists, readFile } = host;
  host.fileExists = (file) => isGenerated(file) || fileExists.call(host, file);
  host.readFile = (file) => (isGenerated(file) ? generated : readFile.call(host, file));
  const program = ts.createProgram({
    rootNames: parsed.flatMap((config) => config.fileNames),
    options: parsed[0]!.options,
    host,
  });
  return [...ts.getPreEmitDiagnostics(program)];
}

const describeDiagnostic = (diagnostic: ts.Diagnostic) =>
  `${diagnostic.file ? path.relative('.', diagnostic.file.fileName) : '(no file)'}: ` +
  ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');

describe('the pages type-check against the OpenAPI document', () => {
  it('fails in every page that reads a property the server no longer answers', async () => {
    const drifted = pageDiagnostics(
      await apiTypes(withRenamedResponseProperty(await openApiDocument())),
    ).map(describeDiagnostic);

    // Each error is in a page's own code: the generated types and their helpers still compile.
    for (const error of drifted) assert.match(error, /^web\/(embed|admin|account)\/src\//, error);
    for (const page of PAGES) {
      assert.ok(
        drifted.some(
          (error) => error.startsWith(`web/${page}/src/`) && error.includes(`'${RENAMED}'`),
        ),
        `web/${page} reads ${RENAMED} and fails its type check:\n${drifted.join('\n')}`,
      );
    }
  });
});
