/**
 * Imports from the dashboard (routes/imports.ts, services/imports.ts), on both engines: an admin
 * uploads a Disqus export as the raw request body, the run is answered at once and imports in the
 * background, its report is read, followed live (Server-Sent Events) and downloaded, and the
 * threads are there; readers, staff and moderators are refused; unknown formats and formats for
 * the command line are refused with a clear error; a file over PARLEY_IMPORT_MAX_BYTES is refused
 * whether it announces its length or not, and leaves no run and no file behind; a second upload
 * while an import runs is 409; a malformed file ends its run failed with the line it broke on.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { generateDisqus } from '../../bench/import.ts';
import { loadConfig } from '../../src/config.ts';
import { newId } from '../../src/domain/ids.ts';
import { buildApp } from '../../src/server/app.ts';
import { issueSession } from '../../src/services/sessions.ts';
import { openStore } from '../../src/store/db.ts';
import { getImportRun, insertImportRun, updateImportRun } from '../../src/store/imports.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, SITE_ORIGIN, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testEngines } from '../helpers/engines.ts';
import { freePort } from '../helpers/process.ts';

const DISQUS = fs.readFileSync(
  path.join(import.meta.dirname, '../import/fixtures/disqus/export.xml'),
);
const MAX_BYTES = 16_384;

// Uploads are kept in the system's temporary directory: this process's own, to see them go.
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-imports-test-'));
process.env.TMPDIR = TMP;
assert.equal(os.tmpdir(), TMP);
const uploadsLeft = () => fs.readdirSync(TMP).filter((name) => name.startsWith('parley-upload-'));
/** The uploads still on disk once a run's file has had a moment to be removed after it ended. */
async function uploadsLeftAfterRuns(): Promise<string[]> {
  for (let i = 0; i < 100 && uploadsLeft().length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return uploadsLeft();
}

function assertError(response: ApiResponse, status: number, code: string): void {
  const context = `${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
}

interface Run {
  id: string;
  state: string;
  fileName: string;
  error: string | null;
  report: {
    state: string;
    progress: { bytesRead: number; totalBytes: number };
    comments: Record<string, number>;
    stories: Record<string, number>;
    skipped: Record<string, { count: number; examples: { sourceId: string }[] }>;
    error: string | null;
  };
}

for (const engine of await testEngines()) {
  describe(`imports from the dashboard (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let moderator: string;
    let commenter: string;

    before(async () => {
      app = await createTestApp(engine, { PARLEY_IMPORT_MAX_BYTES: String(MAX_BYTES) });
      admin = await app.admin();
      commenter = (await app.signup('Casey Commenter')).token;
      const mod = await app.signup('Morgan Moderator');
      await app.store.db
        .updateTable('users')
        .set({ role: 'moderator' })
        .where('id', '=', mod.id)
        .execute();
      moderator = mod.token;
    });
    after(async () => {
      await app.close();
      assert.deepEqual(uploadsLeft(), [], 'every upload is removed once imported');
    });

    const upload = (
      body: string | Buffer,
      query: string,
      token: string | undefined = admin,
      type = 'application/octet-stream',
    ) =>
      app.request({
        method: 'POST',
        url: `/api/v1/admin/sites/${app.site.id}/imports?${query}`,
        ...(token && { token }),
        raw: body,
        headers: { 'content-type': type },
      });
    const get = (url: string, token: string | undefined = admin) =>
      app.request({ method: 'GET', url, ...(token && { token }) });
    const runCount = async () =>
      (await app.store.db.selectFrom('import_runs').select('id').execute()).length;

    async function finished(id: string): Promise<Run> {
      for (let i = 0; i < 500; i++) {
        const response = await get(`/api/v1/admin/imports/${id}`);
        assert.equal(response.status, 200, response.text);
        const run = response.json.run as Run;
        if (run.state !== 'running') return run;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`import ${id} did not finish`);
    }

    it('imports an uploaded Disqus export in the background, with its report', async () => {
      const response = await upload(DISQUS, 'format=disqus&fileName=harbour-gazette.xml');
      assert.equal(response.status, 202, response.text);
      const started = response.json.run as Run;
      assert.equal(started.fileName, 'harbour-gazette.xml');
      assert.equal(started.report.progress.totalBytes, DISQUS.length);

      const run = await finished(started.id);
      assert.equal(run.state, 'done', run.error ?? '');
      assert.deepEqual(run.report.comments, {
        imported: 9,
        unchanged: 0,
        approved: 6,
        pending: 1,
        rejected: 1,
        tombstones: 1,
      });
      assert.equal(run.report.stories.created, 2);
      assert.equal(run.report.progress.bytesRead, DISQUS.length);
      assert.equal(run.report.skipped.orphan?.count, 1);
      assert.ok(run.report.skipped.orphan?.examples[0]?.sourceId);

      // The thread is there, as readers see it.
      const story = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        body: { url: 'https://news.example/2024/bridge-vote', storyId: 'bridge-2024-vote' },
      });
      assert.equal(story.status, 200, story.text);
      assert.equal(story.json.story.commentCount, 5);
      const page = await get(`/api/v1/stories/${story.json.story.id}/comments?sort=oldest`);
      assert.equal(page.json.comments.length, 2);

      // The site's runs, newest first; the report as a download.
      const list = await get(`/api/v1/admin/sites/${app.site.id}/imports`);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.json.runs[0].id, run.id);
      const report = await get(`/api/v1/admin/imports/${run.id}/report`);
      assert.equal(report.status, 200, report.text);
      assert.equal(
        report.headers['content-disposition'],
        `attachment; filename="parley-import-${run.id}.json"`,
      );
      assert.match(String(report.headers['content-type']), /^application\/json/);
      assert.equal(report.json.runId, run.id);
      assert.equal(report.json.comments.imported, 9);
      assert.equal(report.json.state, 'done');

      // Uploading the same file again changes nothing.
      const again = await upload(DISQUS, 'format=disqus&fileName=harbour-gazette.xml');
      assert.equal(again.status, 202, again.text);
      const rerun = await finished(again.json.run.id);
      assert.equal(rerun.report.comments.imported, 0);
      assert.equal(rerun.report.comments.unchanged, 13);
      assert.deepEqual(await uploadsLeftAfterRuns(), []);
    });

    it('streams a run’s progress, then done, to an admin', async () => {
      const id = newId();
      await insertImportRun(app.store.db, {
        id,
        siteId: app.site.id,
        format: 'disqus',
        fileName: 'followed.xml',
        fileBytes: 1000,
        state: 'running',
        dryRun: false,
        startedBy: null,
        startedAt: new Date().toISOString(),
        report: { progress: { bytesRead: 0, totalBytes: 1000 }, comments: { imported: 0 } },
      });
      const stream = get(`/api/v1/admin/imports/${id}/events?token=${admin}`, '');
      await new Promise((resolve) => setTimeout(resolve, 700));
      await updateImportRun(app.store.db, id, {
        report: { progress: { bytesRead: 500, totalBytes: 1000 }, comments: { imported: 4 } },
      });
      await new Promise((resolve) => setTimeout(resolve, 700));
      await updateImportRun(app.store.db, id, {
        state: 'done',
        report: { progress: { bytesRead: 1000, totalBytes: 1000 }, comments: { imported: 7 } },
        finishedAt: new Date().toISOString(),
      });
      const response = await stream;
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /^text\/event-stream/);
      const events = [...response.text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map(
        ([, name, data]) => ({ name, run: JSON.parse(data ?? '').run as Run }),
      );
      assert.deepEqual(
        events.map((event) => [event.name, event.run.state, event.run.report.comments.imported]),
        [
          ['progress', 'running', 0],
          ['progress', 'running', 4],
          ['progress', 'done', 7],
          ['done', 'done', 7],
        ],
      );
      assert.equal(events[1]?.run.report.progress.bytesRead, 500);

      // A finished run: at once, then the stream ends.
      const again = await get(`/api/v1/admin/imports/${id}/events`);
      assert.match(again.text, /event: progress[\s\S]*event: done/);
      assertError(
        await get(`/api/v1/admin/imports/${id}/events?token=${moderator}`, ''),
        403,
        'FORBIDDEN',
      );
      assertError(await get(`/api/v1/admin/imports/${id}/events`, ''), 401, 'UNAUTHENTICATED');
      assertError(await get(`/api/v1/admin/imports/${newId()}/events`), 404, 'IMPORT_NOT_FOUND');
    });

    it('is for admins only', async () => {
      const before = await runCount();
      for (const [token, status, code] of [
        [moderator, 403, 'FORBIDDEN'],
        [commenter, 403, 'FORBIDDEN'],
        [undefined, 401, 'UNAUTHENTICATED'],
      ] as const) {
        assertError(await upload(DISQUS, 'format=disqus', token ?? ''), status, code);
        assertError(
          await get(`/api/v1/admin/sites/${app.site.id}/imports`, token ?? ''),
          status,
          code,
        );
        assertError(await get('/api/v1/admin/import-formats', token ?? ''), status, code);
      }
      const [run] = (await get(`/api/v1/admin/sites/${app.site.id}/imports`)).json.runs as Run[];
      assert.ok(run);
      for (const url of [
        `/api/v1/admin/imports/${run.id}`,
        `/api/v1/admin/imports/${run.id}/report`,
      ]) {
        assertError(await get(url, moderator), 403, 'FORBIDDEN');
        assertError(await get(url, commenter), 403, 'FORBIDDEN');
        assertError(await get(url, ''), 401, 'UNAUTHENTICATED');
      }
      assert.equal(await runCount(), before);
      assertError(await get(`/api/v1/admin/imports/${newId()}`), 404, 'IMPORT_NOT_FOUND');
      assertError(
        await app.request({
          method: 'POST',
          url: `/api/v1/admin/sites/${newId()}/imports?format=disqus`,
          token: admin,
          raw: DISQUS,
          headers: { 'content-type': 'application/xml' },
        }),
        404,
        'SITE_NOT_FOUND',
      );
    });

    it('lists the formats a file can be uploaded in', async () => {
      const response = await get('/api/v1/admin/import-formats');
      assert.equal(response.status, 200, response.text);
      const names = (response.json.formats as { name: string }[]).map((format) => format.name);
      assert.ok(names.includes('disqus') && names.includes('wordpress'), names.join());
      assert.ok(!names.includes('coral-csv') && !names.includes('parley'), names.join());
      assert.equal(response.json.maxBytes, MAX_BYTES);
    });

    it('refuses unknown formats, formats for the command line, other bodies', async () => {
      const other = await app.admin();
      const before = await runCount();
      const unknown = await upload(DISQUS, 'format=livefyre', other);
      assertError(unknown, 400, 'IMPORT_FORMAT_UNKNOWN');
      for (const inherited of ['constructor', 'toString', '__proto__']) {
        const named = await upload(DISQUS, `format=${inherited}`, other);
        assertError(named, 400, 'IMPORT_FORMAT_UNKNOWN');
      }
      assert.match(unknown.json.error.message, /Unknown import format "livefyre".*disqus/);
      const coral = await upload(DISQUS, 'format=coral-csv', other);
      assertError(coral, 400, 'IMPORT_FORMAT_REFUSED');
      assert.match(coral.json.error.message, /directory.*command line/);
      const restore = await upload(DISQUS, 'format=parley', other);
      assertError(restore, 400, 'IMPORT_FORMAT_REFUSED');
      assert.match(restore.json.error.message, /command line only/);
      assertError(await upload(DISQUS, '', other), 400, 'VALIDATION_FAILED');
      const text = await upload(DISQUS, 'format=disqus', other, 'text/plain');
      assertError(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
      assert.match(text.json.error.message, /application\/octet-stream/);
      assertError(await upload('', 'format=disqus', other), 400, 'EMPTY_FILE');
      // XML sent as what it is is taken like any other file type.
      const asXml = await upload('<disqus', 'format=disqus', other, 'application/xml');
      assert.equal(asXml.status, 202, asXml.text);
      await finished(asXml.json.run.id);
      assert.equal(await runCount(), before + 1);
      assert.deepEqual(await uploadsLeftAfterRuns(), []);
    });

    it('refuses a file over PARLEY_IMPORT_MAX_BYTES, announced or not, and keeps nothing', async () => {
      const other = await app.admin();
      const before = await runCount();
      const big = Buffer.alloc(MAX_BYTES + 1, 'x');
      const announced = await upload(big, 'format=disqus', other);
      assertError(announced, 413, 'FILE_TOO_LARGE');
      assert.match(announced.json.error.message, /16,384 bytes.*PARLEY_IMPORT_MAX_BYTES/);
      assert.equal(announced.headers.connection, 'close');

      // Sent in chunks without a length: counted as it arrives, cut past the limit.
      const body = new PassThrough();
      const streamed = app.app.inject({
        method: 'POST',
        url: `/api/v1/admin/sites/${app.site.id}/imports?format=disqus`,
        headers: { authorization: `Bearer ${other}`, 'content-type': 'application/octet-stream' },
        payload: body,
      });
      for (let i = 0; i < 6; i++) body.write(Buffer.alloc(4096, 'y'));
      body.end();
      const response = await streamed;
      assert.equal(response.statusCode, 413, response.body);
      assert.equal(JSON.parse(response.body).error.code, 'FILE_TOO_LARGE');

      assert.equal(await runCount(), before, 'no run is recorded');
      assert.deepEqual(uploadsLeft(), [], 'no file is left');
    });

    it('keeps nothing of an upload cut off half way', async () => {
      const other = await app.admin();
      const before = await runCount();
      const port = await freePort();
      // Listening until the app closes.
      await app.app.listen({ port, host: '127.0.0.1' });
      const request = http.request({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: `/api/v1/admin/sites/${app.site.id}/imports?format=disqus`,
        headers: {
          authorization: `Bearer ${other}`,
          'content-type': 'application/octet-stream',
          'content-length': String(DISQUS.length),
        },
      });
      request.on('error', () => undefined);
      request.write(DISQUS.subarray(0, 2000));
      // The upload is under way: its file exists.
      for (let i = 0; i < 100 && uploadsLeft().length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(uploadsLeft().length, 1);
      request.destroy();
      assert.deepEqual(await uploadsLeftAfterRuns(), []);
      assert.equal(await runCount(), before);
    });

    it('refuses a second upload while an import into the site runs', async () => {
      const other = await app.admin();
      // One running in another process: its row, with a fresh heartbeat.
      const id = newId();
      await insertImportRun(app.store.db, {
        id,
        siteId: app.site.id,
        format: 'wordpress',
        fileName: 'elsewhere.xml',
        fileBytes: 1,
        state: 'running',
        dryRun: false,
        startedBy: null,
        startedAt: new Date().toISOString(),
        report: {},
      });
      const before = await runCount();
      const busy = await upload(DISQUS, 'format=disqus', other);
      assertError(busy, 409, 'IMPORT_RUNNING');
      assert.match(busy.json.error.message, /Another import into this site is running/);
      assert.equal(await runCount(), before);
      await updateImportRun(app.store.db, id, {
        state: 'done',
        finishedAt: new Date().toISOString(),
      });

      // One arriving in this process: the second is refused before its file is read.
      const body = new PassThrough();
      const first = app.app.inject({
        method: 'POST',
        url: `/api/v1/admin/sites/${app.site.id}/imports?format=disqus`,
        headers: { authorization: `Bearer ${other}`, 'content-type': 'application/octet-stream' },
        payload: body,
      });
      body.write(DISQUS.subarray(0, 100));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assertError(await upload(DISQUS, 'format=disqus', other), 409, 'IMPORT_RUNNING');
      body.end(DISQUS.subarray(100));
      const accepted = await first;
      assert.equal(accepted.statusCode, 202, accepted.body);
      await finished(JSON.parse(accepted.body).run.id);
      assert.deepEqual(await uploadsLeftAfterRuns(), []);
    });

    it('ends the run of a malformed file failed, naming the line', async () => {
      const broken = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">',
        '  <thread dsq:id="1"><link>https://news.example/broken</link>',
        '  <title>Broken</titel></thread>',
        '</disqus>',
      ].join('\n');
      const response = await upload(broken, 'format=disqus&fileName=broken.xml');
      assert.equal(response.status, 202, response.text);
      const run = await finished(response.json.run.id);
      assert.equal(run.state, 'failed');
      assert.match(run.error ?? '', /line 4/);
      assert.equal(run.report.error, run.error);
      const report = await get(`/api/v1/admin/imports/${run.id}/report`);
      assert.equal(report.json.state, 'failed');
      assert.match(report.json.error, /line 4/);
    });
  });
}

describe('an import running when the server closes', () => {
  it('stops at its next item, ends failed (resumable), and leaves no file', async () => {
    const database = await createTestDatabase('sqlite');
    const store = openStore(database.config);
    const file = path.join(TMP, 'large-disqus.xml');
    try {
      await generateDisqus(file, 40_000, 400, () => undefined);
      const config = {
        ...loadConfig({ PUBLIC_URL: 'http://parley.test', PARLEY_CLASSIFIER: '0' }),
        database: database.config,
      };
      const parley = await buildApp(config, { store, logger: false, runJobs: false });
      const site = await insertSite(store.db, {
        name: 'Closing News',
        allowedOrigins: [SITE_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
      });
      await parley.sites.refresh();
      const admin = await insertUser(store.db, {
        email: 'closing.admin@example.com',
        displayName: 'Admin',
        passwordHash: null,
        role: 'admin',
      });
      assert.ok(admin);
      const { token } = await issueSession(store, admin.id, { method: 'password' });
      const response = await parley.app.inject({
        method: 'POST',
        url: `/api/v1/admin/sites/${site.id}/imports?format=disqus&fileName=large.xml`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        payload: fs.readFileSync(file),
      });
      assert.equal(response.statusCode, 202, response.body);
      const { id } = JSON.parse(response.body).run as Run;
      await parley.close();
      const run = await getImportRun(store.db, id);
      assert.equal(run?.state, 'failed');
      assert.match(run?.error ?? '', /interrupted: the server stopped/);
      assert.ok(
        ((run?.report as Run['report']).comments.imported ?? 0) < 40_000,
        'stopped before the end',
      );
      assert.deepEqual(uploadsLeft(), []);
    } finally {
      await store.close();
      await database.drop();
      fs.rmSync(file, { force: true });
    }
  });
});

after(() => fs.rmSync(TMP, { recursive: true, force: true }));
