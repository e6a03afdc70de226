/**
 * A site's Q&A sections read from the article page itself (docs/qa.md): the metadata job takes the
 * page's `article:section`, and a new story in one of the site's Q&A sections becomes a Q&A; a
 * section the widget sent wins, and a story that already has comments is left as it is. Real HTTP
 * (a publisher's page on loopback), both engines.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { STORY_METADATA_JOB, storyMetadataJob } from '../../src/jobs/story-metadata.ts';
import { startWorker, type Worker } from '../../src/jobs/worker.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const page = (section: string) =>
  `<html><head><title>A story</title><meta property="article:section" content="${section}"></head></html>`;

for (const engine of await testEngines()) {
  describe(`Q&A sections from the page (${engine})`, () => {
    let app: TestApp;
    let worker: Worker;
    let server: http.Server;
    let origin: string;
    let siteId: string;
    let admin: string;
    let counter = 0;

    before(async () => {
      server = http.createServer((request, response) => {
        const section = new URL(request.url ?? '/', 'http://x').searchParams.get('s') ?? '';
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(page(section));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      app = await createTestApp(engine, {
        PARLEY_SCRAPE_METADATA: '1',
        PARLEY_WRITE_RATE_LIMIT: '1000',
      });
      admin = await app.admin();
      const created = await app.request({
        method: 'POST',
        url: '/api/v1/sites',
        token: admin,
        body: { name: 'Section Daily', allowedOrigins: [origin] },
      });
      assert.equal(created.status, 201, created.text);
      siteId = created.json.site.id;
      const set = await app.request({
        method: 'PUT',
        url: `/api/v1/admin/sites/${siteId}/qa-defaults`,
        token: admin,
        body: { sections: ['Ask us'] },
      });
      assert.equal(set.status, 200, set.text);
      worker = startWorker(
        app.store,
        {
          [STORY_METADATA_JOB]: storyMetadataJob(app.store, undefined, {
            allowPrivateAddresses: true,
          }),
        },
        app.app.log,
        { autoStart: false },
      );
    });
    after(async () => {
      await worker.stop();
      await app.close();
      await new Promise((resolve) => server.close(resolve));
    });

    const resolve = async (section: string, widgetSection?: string) => {
      const response = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin,
        body: {
          url: `${origin}/article-${++counter}?s=${encodeURIComponent(section)}`,
          siteId,
          ...(widgetSection !== undefined && { section: widgetSection }),
        },
      });
      assert.equal(response.status, 200, response.text);
      return response.json.story as { id: string; mode: string };
    };
    const modeOf = async (id: string) =>
      (await app.request({ method: 'GET', url: `/api/v1/stories/${id}` })).json.story.mode;

    it('a story whose page is in a Q&A section becomes a Q&A once its page is read', async () => {
      const story = await resolve('Ask us');
      assert.equal(story.mode, 'comments', 'not known before the page is read');
      await worker.drain();
      assert.equal(await modeOf(story.id), 'qa');
    });

    it('other sections, and a section the widget gave, are left alone', async () => {
      const sport = await resolve('Sport');
      const told = await resolve('Ask us', 'Sport');
      await worker.drain();
      assert.equal(await modeOf(sport.id), 'comments');
      assert.equal(await modeOf(told.id), 'comments', 'the widget’s section wins');
      const row = await app.store.db
        .selectFrom('stories')
        .select('section')
        .where('id', '=', told.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.section, 'Sport');
    });

    it('a story that already has comments is not switched', async () => {
      const story = await resolve('Ask us');
      const reader = await app.signup('Early Reader');
      const posted = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${story.id}/comments`,
        origin,
        token: reader.token,
        body: { body: 'First!' },
      });
      assert.equal(posted.status, 201, posted.text);
      await worker.drain();
      assert.equal(await modeOf(story.id), 'comments');
    });
  });
}
