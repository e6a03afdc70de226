/**
 * The `parley` command: start the server, run migrations, create an admin, create a site, back up
 * the database, export it. Run `parley --help` for usage.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { buildApp, type ParleyApp } from '../server/app.ts';
import { hashPassword } from '../credentials/passwords.ts';
import { chooseLogOutput, type LogOutput } from '../server/logging.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { insertSite } from '../store/sites.ts';
import { countUsersWithRole, findUserByEmail, insertUser } from '../store/users.ts';
import { seedDemo } from '../demo/seed.ts';
import { originOf } from '../domain/origin.ts';
import { ensureWebBuilt } from './web.ts';
import { exportLabels } from './export-labels.ts';
import {
  formatList,
  importFile,
  importProgress,
  reportText,
  restoreFile,
  restoreText,
} from './import.ts';
import { RestoreError } from '../export/restore.ts';
import { ImportError } from '../import/importer.ts';
import { backupDatabase, BackupError, type BackupProgress, type BackupResult } from './backup.ts';
import { ExportError, exportSummary, runExport } from './export.ts';

const HELP = `parley: self-hosted comments for news publishers

Usage: parley <command> [options]

Commands:
  start [--demo]            Start the server (migrates first). --demo serves the demo newsroom at /
                            and seeds its discussion on first start.
  migrate                   Apply database migrations and exit.
  create-admin --email E [--name N] [--password P]
                            Create an administrator (a password is generated when not given).
  create-site --name N --origin URL [--origin URL ...]
                            Create a publisher site allowed to embed comments on those origins.
  classifier export-labels [--out FILE] [--site ID] [--since YYYY-MM-DD] [--all]
                            Write moderators' approve/reject decisions on scored comments as
                            labelled examples (JSON lines) for retraining; --all includes
                            comments the classifier did not score.
  import <format> <file> --site ID [--dry-run] [--score] [--story-map CSV] [--base-url URL]
                            [--json]
                            Bring another comment system's export into a site: disqus,
                            wordpress, coral-csv, coral-mongo, remark42, commento, isso, or
                            parley (Parley's own export). Running it again changes nothing;
                            a run that was stopped resumes. --score sends published
                            comments the classifier would hold to the Unmoderated queue.
                            See docs/import.md.
  backup --out FILE [--force]
                            Copy the SQLite database to FILE while Parley runs (a consistent
                            snapshot); --force replaces an existing FILE. For PostgreSQL use
                            pg_dump (docs/operations.md, "Backups").
  export [--site ID] [--format parley|wxr] [--out FILE] [--force]
                            Write everything (or one site) as Parley's archive, restored by
                            "parley import parley FILE", or one site's comments as WXR
                            (WordPress, Disqus); to standard output without --out. Secrets and
                            IP addresses are left out (docs/export.md).

Environment: PORT (8080), HOST (0.0.0.0), PUBLIC_URL, DATABASE_URL (SQLite path or postgres:// URL;
default ./data/parley.db), LOG_LEVEL (info), PARLEY_LOG_FORMAT (json, or pretty for start --demo
in a terminal), PARLEY_EDIT_WINDOW_SECONDS (300), PARLEY_MAX_DEPTH (3).
`;

/** Opens the configured database, brings it up to date, runs `run`, and closes it. */
async function withStore<T>(
  config: Config,
  run: (store: Store, applied: string[]) => Promise<T>,
): Promise<T> {
  const store = openStore(config.database);
  try {
    return await run(store, await migrate(store));
  } finally {
    await store.close();
  }
}

function parseOrigin(value: string): string {
  const origin = originOf(value);
  if (!origin) throw new UsageError(`not an http(s) origin: ${value}`);
  return origin;
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        demo: { type: 'boolean' },
        email: { type: 'string' },
        name: { type: 'string' },
        password: { type: 'string' },
        origin: { type: 'string', multiple: true },
        out: { type: 'string' },
        site: { type: 'string' },
        since: { type: 'string' },
        all: { type: 'boolean' },
        force: { type: 'boolean' },
        format: { type: 'string' },
        'dry-run': { type: 'boolean' },
        'story-map': { type: 'string' },
        'base-url': { type: 'string' },
        score: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

async function createAdmin(
  store: Store,
  email: string,
  name: string,
  password?: string,
): Promise<{ password: string; created: boolean }> {
  const chosen = password ?? randomBytes(12).toString('base64url');
  const existing = await findUserByEmail(store.db, email.toLowerCase());
  if (existing) return { password: chosen, created: false };
  const created = await insertUser(store.db, {
    email: email.toLowerCase(),
    displayName: name,
    passwordHash: await hashPassword(chosen),
    role: 'admin',
  });
  // Another process starting at the same moment may have created it first: then this password
  // is not the account's, and must not be printed as if it were.
  return { password: chosen, created: created !== undefined };
}

/**
 * The log a person reads when they try the demo (`npm start`), JSON for a log collector otherwise
 * (src/server/logging.ts; PARLEY_LOG_FORMAT decides when set).
 */
function logOutput(config: Config, demo: boolean): LogOutput {
  return chooseLogOutput({
    configured: config.logFormat,
    demo,
    production: process.env.NODE_ENV === 'production',
    terminal: process.stdout.isTTY === true,
  });
}

/** Why the server could not start: the message says it all (no stack trace); exit code 1. */
export class StartError extends Error {}

function listenFailure(error: unknown, config: Config): StartError {
  const code = (error as { code?: string }).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') {
    return new StartError(
      `cannot listen on ${where}: the address is already in use (EADDRINUSE); stop what ` +
        'listens there or choose another PORT',
    );
  }
  if (code === 'EACCES') {
    return new StartError(`cannot listen on ${where}: permission denied (EACCES)`);
  }
  return new StartError(`cannot listen on ${where}: ${(error as Error).message}`);
}

async function start(config: Config, demo: boolean): Promise<void> {
  await ensureWebBuilt();
  const log = logOutput(config, demo);
  let parley: ParleyApp;
  try {
    parley = await buildApp(config, { demo, log });
  } catch (error) {
    // buildApp closed what it had opened.
    throw new StartError(`cannot start: ${(error as Error).message}`, { cause: error });
  }
  try {
    await prepareAndListen(parley, config, demo, log);
  } catch (error) {
    // Close what was opened (the database, the job worker's and live streams' timers), or they
    // would keep a process that serves nothing running.
    await parley.close().catch(() => undefined);
    if ((error as { syscall?: string }).syscall === 'listen') throw listenFailure(error, config);
    throw new StartError(`cannot start: ${(error as Error).message}`, { cause: error });
  }
  const stop = async () => {
    await parley.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** Seeds the demo and the first admin if needed, listens, and says where Parley is. */
async function prepareAndListen(
  parley: ParleyApp,
  config: Config,
  demo: boolean,
  log: LogOutput,
): Promise<void> {
  const lines: string[] = [];
  if (demo) {
    const seeded = await seedDemo(parley.store, config);
    await parley.sites.refresh();
    if (seeded) lines.push(`Seeded the demo story with ${seeded} comments.`);
  }
  if ((await countUsersWithRole(parley.store.db, 'admin')) === 0) {
    const admin = await createAdmin(parley.store, 'admin@localhost', 'Administrator');
    if (admin.created) {
      lines.push(
        'Created the first admin account (shown once; change it after logging in):',
        `  email:    admin@localhost`,
        `  password: ${admin.password}`,
      );
    } else {
      lines.push('The first admin account was created by another process starting at once.');
    }
  }
  await parley.app.listen({ port: config.port, host: config.host });
  const db = config.database.engine === 'sqlite' ? config.database.file : 'PostgreSQL';
  console.log(
    [
      '',
      `Parley is running on ${config.publicUrl}  (database: ${db})`,
      demo ? `  Demo article:   ${config.publicUrl}/  (a story with its discussion)` : '',
      `  Dashboard:      ${config.publicUrl}/admin  (moderation)`,
      `  API docs:       ${config.publicUrl}/api/docs`,
      parley.classifier
        ? `  Classifier:     ${parley.classifier.model}, loaded in ${parley.classifier.loadMs} ms`
        : '  Classifier:     off (PARLEY_CLASSIFIER=0)',
      ...lines,
      log.requests === 'debug' && !['debug', 'trace'].includes(config.logLevel)
        ? 'Requests are logged at debug level (LOG_LEVEL=debug; PARLEY_LOG_FORMAT=pretty for a line each).'
        : '',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const command = positionals[0];
  if (values.help || !command) {
    console.log(HELP);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      await start(config, values.demo ?? false);
      return -1;
    case 'migrate': {
      const applied = await withStore(config, async (_store, done) => done);
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      return 0;
    }
    case 'create-admin': {
      if (!values.email) throw new UsageError('create-admin needs --email');
      const email = values.email;
      const result = await withStore(config, (store) =>
        createAdmin(store, email, values.name ?? 'Administrator', values.password),
      );
      if (!result.created) throw new UsageError(`a user with email ${email} already exists`);
      console.log(
        `Created admin ${email}${values.password ? '' : ` with password ${result.password}`}`,
      );
      return 0;
    }
    case 'create-site': {
      const name = values.name;
      const origins = [...new Set((values.origin ?? []).map(parseOrigin))];
      if (!name || origins.length === 0) {
        throw new UsageError('create-site needs --name and at least one --origin');
      }
      const site = await withStore(config, (store) =>
        insertSite(store.db, {
          name,
          allowedOrigins: origins,
          editWindowSeconds: config.editWindowSeconds,
          maxDepth: config.maxDepth,
        }),
      );
      console.log(`Created site "${site.name}" (id ${site.id}) for ${origins.join(', ')}`);
      return 0;
    }
    case 'classifier': {
      if (positionals[1] !== 'export-labels') {
        throw new UsageError('classifier takes one subcommand: export-labels');
      }
      const since = values.since ? new Date(values.since) : undefined;
      if (since && Number.isNaN(since.getTime())) {
        throw new UsageError(`--since is not a date: ${values.since}`);
      }
      const written = await withStore(config, (store) =>
        exportLabels(store, {
          out: values.out,
          siteId: values.site,
          since,
          scoredOnly: !values.all,
        }),
      );
      console.error(
        `Wrote ${written.examples} labelled examples (${written.labels})${values.out ? ` to ${values.out}` : ''}.`,
      );
      return 0;
    }
    case 'import': {
      const [, format, file, extra] = positionals;
      if (!format || !file) {
        throw new UsageError(`import needs a format and a file; formats:\n${formatList()}`);
      }
      if (extra) throw new UsageError(`import takes one file; unexpected "${extra}"`);
      if (format === 'parley') {
        // A restore: the archive names its own sites.
        try {
          const report = await withStore(config, (store) => restoreFile(store, file));
          console.log(values.json ? JSON.stringify(report, null, 2) : restoreText(report, file));
          return 0;
        } catch (error) {
          if (!(error instanceof RestoreError || error instanceof ImportError)) throw error;
          console.error(`parley: import failed: ${error.message}`);
          if (error instanceof RestoreError) {
            console.error(restoreText(error.report, file));
          }
          return 1;
        }
      }
      if (!values.site) throw new UsageError('import needs --site ID');
      try {
        const report = await withStore(config, (store) =>
          importFile(
            store,
            {
              format,
              file,
              siteId: values.site ?? '',
              dryRun: values['dry-run'] ?? false,
              storyMap: values['story-map'],
              baseUrl: values['base-url'],
              score: values.score ?? false,
            },
            importProgress(),
          ),
        );
        console.log(values.json ? JSON.stringify(report, null, 2) : reportText(report));
        return report.state === 'done' ? 0 : 1;
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        console.error(`parley: import failed: ${error.message}`);
        return 1;
      }
    }
    case 'backup': {
      if (positionals.length > 1) {
        throw new UsageError(
          `backup takes no argument "${positionals[1]}"; give the file as --out FILE`,
        );
      }
      if (!values.out) throw new UsageError('backup needs --out FILE');
      try {
        const result = await backupDatabase(config.database, {
          out: values.out,
          force: values.force ?? false,
          onProgress: backupProgress(),
        });
        console.log(backupSummary(result));
        return 0;
      } catch (error) {
        if (!(error instanceof BackupError)) throw error;
        console.error(`parley: backup failed: ${error.message}`);
        return 1;
      }
    }
    case 'export': {
      if (positionals.length > 1) {
        throw new UsageError(`export takes no argument "${positionals[1]}"; see --out FILE`);
      }
      const format = values.format ?? 'parley';
      if (format !== 'parley' && format !== 'wxr') {
        throw new UsageError(`--format is parley or wxr, not "${format}"`);
      }
      try {
        const result = await runExport(config, {
          siteId: values.site,
          out: values.out,
          format,
          force: values.force ?? false,
        });
        console.error(exportSummary(result));
        return 0;
      } catch (error) {
        if (!(error instanceof ExportError)) throw error;
        console.error(`parley: export failed: ${error.message}`);
        return 1;
      }
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

export class UsageError extends Error {}

/**
 * Progress of a large backup on stderr: one line rewritten in a terminal, a line per tenth
 * otherwise (a log).
 */
function backupProgress(): (progress: BackupProgress) => void {
  const terminal = process.stderr.isTTY;
  let shownTenth = -1;
  return ({ copiedPages, totalPages }) => {
    const percent = Math.floor((copiedPages / totalPages) * 100);
    const line = `copied ${copiedPages.toLocaleString('en')} of ${totalPages.toLocaleString('en')} pages (${percent}%)`;
    const done = copiedPages === totalPages;
    if (terminal) {
      process.stderr.write(`\r${line}${done ? '\n' : ''}`);
    } else if (Math.floor(percent / 10) > shownTenth) {
      shownTenth = Math.floor(percent / 10);
      process.stderr.write(`${line}\n`);
    }
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function backupSummary(result: BackupResult): string {
  return [
    `Backed up ${result.source} to ${result.out}`,
    `  size:      ${formatBytes(result.bytes)} (${result.pages.toLocaleString('en')} pages)`,
    `  comments:  ${result.comments.toLocaleString('en')}`,
    `  snapshot:  ${result.snapshotAt.toISOString()} (what was committed by then)`,
    `  duration:  ${(result.durationMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
