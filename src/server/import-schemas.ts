/**
 * Schemas of the imports API (routes/imports.ts): an import run and its report, as the importer
 * writes it (src/import/importer.ts, ImportReport), and the upload's query.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Id } from './schemas.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });

export const ImportState = Type.Union(
  [Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')],
  {
    description: 'running; done (read to the end); failed (see `error`: what was committed stays)',
  },
);

const SkipTally = Type.Object({
  count: Count,
  examples: Type.Array(Type.Object({ sourceId: Type.String(), detail: Type.String() }), {
    description: 'The first few items skipped for this reason',
  }),
});

export const ImportReport = Type.Object(
  {
    runId: Nullable(Id),
    format: Type.String(),
    file: Type.String({ description: 'The file as the admin named it' }),
    dryRun: Type.Boolean(),
    state: ImportState,
    progress: Type.Object({
      bytesRead: Count,
      totalBytes: Count,
    }),
    read: Type.Object({ stories: Count, comments: Count, items: Count }),
    stories: Type.Object(
      { created: Count, matched: Count, known: Count },
      {
        description:
          'created; matched to an existing story by identifier or URL; known: imported before',
      },
    ),
    authors: Type.Object(
      { created: Count, merged: Count, known: Count },
      {
        description:
          'created as imported profiles; merged into readers with the same confirmed address; ' +
          'known: imported before',
      },
    ),
    comments: Type.Object(
      {
        imported: Count,
        unchanged: Type.Integer({ minimum: 0, description: 'Imported by an earlier run: left' }),
        approved: Count,
        pending: Count,
        rejected: Count,
        tombstones: Type.Integer({
          minimum: 0,
          description: 'Deleted in the source, kept as "[deleted]" for their replies',
        }),
      },
      { description: 'imported = approved + pending + rejected + tombstones' },
    ),
    skipped: Type.Record(Type.String(), SkipTally, {
      description:
        'By reason: orphan, empty_body, unknown_thread, duplicate, deleted, not_a_comment, invalid',
    }),
    warnings: Type.Array(Type.String()),
    error: Nullable(Type.String({ description: 'Why a failed run stopped (with a line or byte)' })),
    durationMs: Count,
  },
  { description: 'The same report as `parley import --json`; updated after every batch' },
);
export type ImportReportJson = Static<typeof ImportReport>;

export const ImportRun = Type.Object({
  id: Id,
  siteId: Id,
  format: Type.String(),
  fileName: Type.String(),
  fileBytes: Count,
  state: ImportState,
  startedBy: Nullable(Type.String({ description: 'The admin who uploaded it; null: the CLI' })),
  startedAt: Time,
  finishedAt: Nullable(Time),
  heartbeatAt: Type.String({
    format: 'date-time',
    description:
      'When the run last committed a batch: a run still `running` that has been silent for ' +
      'two minutes has stopped (the next import into the site marks it failed)',
  }),
  error: Nullable(Type.String()),
  report: ImportReport,
});
export type ImportRunJson = Static<typeof ImportRun>;

export const ImportFormat = Type.Object({ name: Type.String(), description: Type.String() });

export const UploadQuery = Type.Object(
  {
    format: Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'disqus, wordpress, remark42, commento or isso (GET /admin/import-formats)',
    }),
    fileName: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, description: 'The file’s name, for the list' }),
    ),
  },
  { additionalProperties: false },
);

export const RunParams = Type.Object({ runId: Id });
