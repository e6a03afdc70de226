/**
 * Imports from the dashboard (admins only; src/services/imports.ts): upload a file to import into
 * a site, follow the run live, read and download its report, list the site's runs. The upload's
 * body is the file itself, streamed to disk as it arrives, never held in memory.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { ImportTasks, startUploadedImport, uploadableFormats } from '../../services/imports.ts';
import { getImportRun, listImportRuns } from '../../store/imports.ts';
import { requireRole, streamViewer } from '../auth.ts';
import { limitPerIp, limitPerUser, type RouteContext } from '../context.ts';
import {
  ImportFormat,
  ImportReport,
  ImportRun,
  RunParams,
  UploadQuery,
} from '../import-schemas.ts';
import { ImportRunStreams } from '../import-events.ts';
import { presentImportRun } from '../presenters.ts';
import { ErrorBody, SiteParams } from '../schemas.ts';

const security = [{ bearer: [] }];
const tags = ['imports'];

/** The types a file may be sent as (browsers name XML, JSON and gzip files so). */
const FILE_TYPES = [
  'application/octet-stream',
  'application/xml',
  'text/xml',
  'application/json',
  'application/x-ndjson',
  'application/gzip',
  'application/x-gzip',
  'application/vnd.sqlite3',
  'application/x-sqlite3',
];

/** Uploads per admin per minute: each is a file of up to gigabytes and an import. */
const UPLOADS_PER_MINUTE = 10;
const READS_PER_MINUTE = 600;

export function importRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  return async (app) => {
    const tasks = new ImportTasks({
      info: (message) => app.log.info(message),
      warn: (message) => app.log.warn(message),
    });
    const streams = new ImportRunStreams(store);
    app.addHook('preClose', async () => streams.close());
    app.addHook('onClose', async () => tasks.close());

    // The upload's body is the file: handed over as a stream, unread (Fastify's body limit does
    // not apply to it; the service counts the bytes). JSON bodies are not parsed here.
    app.removeAllContentTypeParsers();
    for (const type of FILE_TYPES) {
      app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
    }
    app.addContentTypeParser('*', (_request, _payload, done) =>
      done(
        new ParleyError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Send the file as the request body, with Content-Type: application/octet-stream.',
        ),
      ),
    );
    // A refusal sent before the body was read closes the connection rather than reading on.
    app.addHook('onSend', async (request, reply) => {
      if (request.method === 'POST' && !request.raw.complete) reply.header('connection', 'close');
    });

    const requireRun = async (runId: string) => {
      const run = await getImportRun(store.db, runId);
      if (!run) throw new ParleyError('IMPORT_NOT_FOUND', 'That import does not exist.');
      return run;
    };

    app.get(
      '/admin/import-formats',
      {
        config: { rateLimit: limitPerUser(READS_PER_MINUTE) },
        schema: {
          tags,
          summary: 'The formats an admin may upload to import (admins only)',
          description:
            'Formats that read a directory (coral-csv, coral-mongo) and restores of Parley’s ' +
            'own archive are imported with the command line (docs/import.md).',
          security,
          response: {
            200: Type.Object({
              formats: Type.Array(ImportFormat),
              maxBytes: Type.Integer({ description: 'The largest file taken (bytes)' }),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return {
          formats: uploadableFormats().map(({ name, description }) => ({ name, description })),
          maxBytes: config.importMaxBytes,
        };
      },
    );

    app.post(
      '/admin/sites/:siteId/imports',
      {
        bodyLimit: config.importMaxBytes,
        config: { rateLimit: limitPerUser(UPLOADS_PER_MINUTE) },
        schema: {
          tags,
          summary: 'Upload a file and import it into the site (admins only)',
          description:
            'The request body is the file (Content-Type application/octet-stream, or its own ' +
            'XML, JSON or gzip type), up to PARLEY_IMPORT_MAX_BYTES. Answers 202 with the run ' +
            'once the site is claimed; the import goes on in the background (follow it with GET ' +
            '/admin/imports/:runId). 409 IMPORT_RUNNING while another import into the site runs, ' +
            '413 FILE_TOO_LARGE, 400 IMPORT_FORMAT_UNKNOWN or IMPORT_FORMAT_REFUSED (formats ' +
            'for the command line). Dry runs are the command line’s.',
          security,
          consumes: FILE_TYPES,
          params: SiteParams,
          querystring: UploadQuery,
          response: { 202: Type.Object({ run: ImportRun }), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const admin = requireRole(request, 'admin');
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        if (!request.body) throw new ParleyError('EMPTY_FILE', 'The file is empty.');
        const length = request.headers['content-length'];
        const run = await startUploadedImport(
          store,
          {
            site,
            formatName: request.query.format,
            stream: request.body as Readable,
            fileName: request.query.fileName,
            ...(length !== undefined && { declaredBytes: Number(length) }),
            startedBy: admin.id,
            maxBytes: config.importMaxBytes,
          },
          tasks,
        );
        return reply.status(202).send({ run: presentImportRun(run) });
      },
    );

    app.get(
      '/admin/sites/:siteId/imports',
      {
        config: { rateLimit: limitPerUser(READS_PER_MINUTE) },
        schema: {
          tags,
          summary: 'The site’s imports, newest first (admins only)',
          security,
          params: SiteParams,
          response: { 200: Type.Object({ runs: Type.Array(ImportRun) }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
        return { runs: (await listImportRuns(store.db, site.id)).map(presentImportRun) };
      },
    );

    app.get(
      '/admin/imports/:runId',
      {
        config: { rateLimit: limitPerUser(READS_PER_MINUTE) },
        schema: {
          tags,
          summary: 'One import, with its report so far (admins only)',
          security,
          params: RunParams,
          response: { 200: Type.Object({ run: ImportRun }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return { run: presentImportRun(await requireRun(request.params.runId)) };
      },
    );

    app.get(
      '/admin/imports/:runId/report',
      {
        config: { rateLimit: limitPerUser(READS_PER_MINUTE) },
        schema: {
          tags,
          summary: 'Download an import’s report (admins only)',
          description: 'The report as the importer wrote it (`parley import --json`), as a file.',
          security,
          params: RunParams,
          response: { 200: ImportReport, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        const run = await requireRun(request.params.runId);
        // As stored, with every field the importer wrote; state and error from the run's row
        // (a run found dead was marked failed there).
        const report = {
          ...presentImportRun(run).report,
          ...(run.report as object),
          state: run.state,
          error: run.error,
        };
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('content-disposition', `attachment; filename="parley-import-${run.id}.json"`)
          .header('cache-control', 'no-store')
          .serializer((payload) => `${JSON.stringify(payload, null, 2)}\n`)
          .send(report);
      },
    );

    app.get(
      '/admin/imports/:runId/events',
      {
        config: { rateLimit: limitPerIp(config.sseConnectRateLimit) },
        schema: {
          // Left out of the OpenAPI document like /admin/events: the admin route table test
          // calls every documented admin route through inject(), which cannot end a stream.
          hide: true,
          tags,
          summary: 'An import’s progress, live (Server-Sent Events; admins only)',
          description:
            'A `text/event-stream`: `progress` with `{ run }` at once and whenever the run ' +
            'changes (after each batch), then `done` with the final `{ run }`, and the stream ' +
            'ends. `?token=` may carry the session token, since EventSource cannot send headers.',
          security,
          params: RunParams,
          querystring: Type.Object({
            token: Type.Optional(Type.String({ maxLength: 200, description: 'Session token' })),
          }),
          response: { '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        request.viewer = await streamViewer(store, request, request.query.token);
        requireRole(request, 'admin');
        streams.follow(reply, await requireRun(request.params.runId));
        return reply;
      },
    );
  };
}
