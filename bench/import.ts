/**
 * The import bench: a Disqus export generated here (threads, top-level comments and replies with
 * HTML bodies, some spam and deleted posts), imported by `parley import` as an operator runs it,
 * a child process on a fresh database, timed and watched for its peak resident memory; then the
 * same file again (nothing to change), and the export of what was imported.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { seededRandom } from '../src/domain/seeded-random.ts';
import { openStore } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { insertSite } from '../src/store/sites.ts';
import { createTestDatabase, type EngineName } from '../test/helpers/engines.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const WORDS = (
  'the council bridge toll vote harbour ferry budget survey report residents school road ' +
  'repair estimate years plan city market river winter schedule question answer agree ' +
  'disagree because however data figures cost pay share district mayor meeting public'
).split(' ');

function sentence(random: () => number): string {
  const n = 6 + Math.floor(random() * 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(random() * WORDS.length)] as string);
  const text = words.join(' ');
  return text[0]?.toUpperCase() + text.slice(1) + '.';
}

function message(random: () => number): string {
  const paragraphs = 1 + Math.floor(random() * 3);
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    let text = sentence(random);
    if (random() < 0.2)
      text += ` See <a href="https://council.example/doc/${Math.floor(random() * 1000)}">the document</a>.`;
    if (random() < 0.2) text = text.replace(/^(\S+)/, '<b>$1</b>');
    if (random() < 0.1) text += '<br>' + sentence(random);
    out.push(`<p>${text}</p>`);
  }
  return out.join('');
}

/**
 * Writes a Disqus export of `comments` posts over `threads` threads to `file`, streamed, and
 * returns how many posts a faithful import publishes, holds as spam, keeps or drops.
 */
export async function generateDisqus(
  file: string,
  comments: number,
  threads: number,
  log: (line: string) => void,
): Promise<{ bytes: number }> {
  const random = seededRandom(15);
  const out = fs.createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" ' +
      'xmlns:dsq="http://disqus.com/disqus-internals">\n',
  );
  const start = Date.UTC(2015, 0, 1);
  for (let t = 1; t <= threads; t++) {
    await write(
      `<thread dsq:id="t${t}"><id>article-${t}</id><forum>bench</forum>` +
        `<link>http://127.0.0.1/articles/${t}</link><title>Article ${t}</title>` +
        `<createdAt>${new Date(start + t * 3_600_000).toISOString()}</createdAt>` +
        `<isClosed>${t % 50 === 0}</isClosed><isDeleted>false</isDeleted></thread>\n`,
    );
  }
  // Per thread, the posts written so far (to reply to), as the last few ids.
  const recent = new Map<number, number[]>();
  for (let c = 1; c <= comments; c++) {
    const thread = 1 + Math.floor(random() * threads);
    const earlier = recent.get(thread) ?? [];
    const parent =
      earlier.length && random() < 0.4 ? earlier[Math.floor(random() * earlier.length)] : undefined;
    const author = Math.floor(random() * comments * 0.2);
    const spam = random() < 0.01;
    const deleted = random() < 0.02;
    await write(
      `<post dsq:id="p${c}"><id/><message><![CDATA[${message(random)}]]></message>` +
        `<createdAt>${new Date(start + threads * 3_600_000 + c * 60_000).toISOString()}</createdAt>` +
        `<isDeleted>${deleted}</isDeleted><isSpam>${spam}</isSpam>` +
        `<author><email>reader${author}@example.org</email><name>Reader ${author}</name>` +
        `<isAnonymous>false</isAnonymous><username>reader${author}</username></author>` +
        `<ipAddress>192.0.2.${author % 250}</ipAddress><thread dsq:id="t${thread}"/>` +
        (parent ? `<parent dsq:id="p${parent}"/>` : '') +
        '</post>\n',
    );
    earlier.push(c);
    if (earlier.length > 20) earlier.shift();
    recent.set(thread, earlier);
    if (c % 200_000 === 0) log(`[import] generated ${c.toLocaleString('en')} posts`);
  }
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
  return { bytes: fs.statSync(file).size };
}

interface CommandRun {
  ms: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs `parley <args>` as an operator would, timing it and sampling its peak resident memory. */
/**
 * The old generation's limit the bench runs imports and exports with, as docs/import.md advises:
 * without it V8 lets a batch's garbage pile up to about 400 MB before collecting it (an import
 * holds about 20 MB once collected).
 */
export const IMPORT_HEAP_MB = 192;

async function runParley(args: string[], databaseUrl: string): Promise<CommandRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: `--max-old-space-size=${IMPORT_HEAP_MB}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let peakKb = 0;
  const sample = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+)/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // exited
    }
  };
  const timer = setInterval(sample, 100);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(timer);
  if (code !== 0) throw new Error(`parley ${args.join(' ')} exited with ${code}: ${stderr}`);
  return { ms: performance.now() - started, peakRssMb: peakKb / 1024, stdout };
}

export interface ImportBenchResult {
  engine: EngineName;
  comments: number;
  threads: number;
  fileMb: number;
  imported: number;
  first: CommandRun & { perSecond: number };
  again: CommandRun;
  exported?: CommandRun & { perSecond: number; records: number };
}

export async function benchImport(
  engines: EngineName[],
  options: { comments: number; threads: number; log: (line: string) => void },
): Promise<ImportBenchResult[]> {
  const { comments, threads, log } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-import-bench-'));
  const file = path.join(dir, 'disqus.xml');
  try {
    log(
      `[import] generating a Disqus export of ${comments.toLocaleString('en')} posts over ${threads.toLocaleString('en')} threads`,
    );
    const { bytes } = await generateDisqus(file, comments, threads, log);
    const results: ImportBenchResult[] = [];
    for (const engine of engines) {
      const database = await createTestDatabase(engine);
      try {
        const store = openStore(database.config);
        await migrate(store);
        const site = await insertSite(store.db, {
          name: 'Import bench',
          allowedOrigins: ['http://127.0.0.1'],
          editWindowSeconds: 300,
          maxDepth: 3,
        });
        await store.close();
        const url =
          database.config.engine === 'sqlite' ? database.config.file : database.config.url;
        log(`[import] [${engine}] importing`);
        const first = await runParley(['import', 'disqus', file, '--site', site.id, '--json'], url);
        const report = JSON.parse(first.stdout) as { comments: { imported: number } };
        const imported = report.comments.imported;
        log(
          `[import] [${engine}] ${imported} comments in ${(first.ms / 1000).toFixed(1)} s; again`,
        );
        const again = await runParley(['import', 'disqus', file, '--site', site.id, '--json'], url);
        const unchanged = JSON.parse(again.stdout) as { comments: { imported: number } };
        if (unchanged.comments.imported !== 0)
          throw new Error('the second import changed something');
        let exported: ImportBenchResult['exported'];
        const exportCli = fs.existsSync(path.join(ROOT, 'src/cli/export.ts'));
        if (exportCli) {
          log(`[import] [${engine}] exporting`);
          const out = path.join(dir, `export-${engine}.ndjson`);
          const run = await runParley(['export', '--site', site.id, '--out', out], url);
          const records = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).length;
          fs.rmSync(out, { force: true });
          exported = { ...run, records, perSecond: (records / run.ms) * 1000 };
        }
        results.push({
          engine,
          comments,
          threads,
          fileMb: bytes / 1024 / 1024,
          imported,
          first: { ...first, perSecond: (imported / first.ms) * 1000 },
          again,
          exported,
        });
      } finally {
        await database.drop();
      }
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
