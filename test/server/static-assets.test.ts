/**
 * The browser files as a browser (and a cache between) gets them: the widget's loader, embed.js,
 * at a stable address with a short cache and an ETag, naming the widget's file; every file named by
 * its contents' hash (the widget, its language files and notification features, the dashboard's and
 * the account pages' scripts and stylesheets) cached for a year, immutable, sent as brotli, gzip or
 * as is according to Accept-Encoding, with Vary: Accept-Encoding; names the build did not write,
 * and paths that try to leave the build's directory, answer 404 (or 400), never a file. The
 * manifests the build writes name files that exist, with compressed forms of the same bytes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  buildEmbed,
  buildWeb,
  EMBED_GZIP_BUDGET_BYTES,
  formatSizeLine,
  type AdminManifest,
  type EmbedManifest,
} from '../../scripts/build-web.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp, type ParleyApp } from '../../src/server/app.ts';
import { ADMIN_MANIFEST } from '../../src/server/admin-page.ts';
import { ACCOUNT_MANIFEST, type AccountManifest } from '../../src/server/account-pages.ts';
import { pickEncoding } from '../../src/server/assets.ts';
import { EMBED_LOADER, EMBED_MANIFEST, WEB_BUILD } from '../../src/server/static.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';

const YEAR = 'public, max-age=31536000, immutable';
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

describe('static files', () => {
  let database: TestDatabase;
  let app: ParleyApp;
  /** The server's log from warnings up: a file sent must not also be a failure. */
  const problems: string[] = [];
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const response = await app.app.inject({ method: 'GET', url, headers });
    return { response, body: response.rawPayload };
  };
  const fetchText = async (url: string, headers: Record<string, string> = {}) => {
    const response = await app.app.inject({ method: 'GET', url, headers });
    let json: { error?: { code?: string } } | undefined;
    try {
      json = JSON.parse(response.body) as typeof json;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text: response.body, json };
  };

  /** The widget's file as the loader names it now (another build may have run since). */
  async function widgetPath(): Promise<string> {
    const { body } = await get('/embed.js');
    const name = /"(embed\.[0-9a-f]+\.js)"/.exec(body.toString('utf8'))?.[1];
    assert.ok(name, 'the loader names the widget’s file');
    return `/${name}`;
  }

  before(async () => {
    if (![EMBED_MANIFEST, ADMIN_MANIFEST, ACCOUNT_MANIFEST].every((file) => fs.existsSync(file))) {
      await buildWeb();
    }
    database = await createTestDatabase('sqlite');
    const config = {
      ...loadConfig({
        PUBLIC_URL: 'http://parley.test',
        PARLEY_CLASSIFIER: '0',
        LOG_LEVEL: 'warn',
      }),
      database: database.config,
    };
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        problems.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    app = await buildApp(config, { logger: { stream }, runJobs: false });
  });
  after(async () => {
    await app?.close();
    await database?.drop();
  });

  it('sends a hashed file as brotli, gzip or as is, cached for a year, varying by encoding', async () => {
    const widget = await widgetPath();
    const plain = await get(widget);
    assert.equal(plain.response.statusCode, 200);
    assert.equal(plain.response.headers['content-encoding'], undefined);
    assert.match(String(plain.response.headers['content-type']), /^text\/javascript/);
    assert.match(plain.body.toString('utf8'), /parley-comments/, 'the widget itself');

    const br = await get(widget, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.response.headers['content-encoding'], 'br');
    assert.ok(br.body.byteLength < plain.body.byteLength / 2, 'compressed');
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);

    const gzip = await get(widget, { 'accept-encoding': 'gzip' });
    assert.equal(gzip.response.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), plain.body);

    const refused = await get(widget, { 'accept-encoding': 'br;q=0, gzip;q=0.5' });
    assert.equal(refused.response.headers['content-encoding'], 'gzip', 'br refused by weight');
    const identity = await get(widget, { 'accept-encoding': 'identity' });
    assert.equal(identity.response.headers['content-encoding'], undefined);
    assert.deepEqual(identity.body, plain.body);

    for (const { response } of [plain, br, gzip, identity]) {
      assert.equal(response.headers['cache-control'], YEAR);
      assert.match(String(response.headers.vary), /accept-encoding/i);
      assert.equal(response.headers['access-control-allow-origin'], '*');
      assert.equal(Number(response.headers['content-length']), response.rawPayload.byteLength);
    }
    assert.notEqual(br.response.headers.etag, plain.response.headers.etag, 'one ETag per form');

    const head = await app.app.inject({ method: 'HEAD', url: widget });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['cache-control'], YEAR);
  });

  it('serves the loader with a short cache and an ETag, 304 when it has not changed', async () => {
    const first = await get('/embed.js');
    assert.equal(first.response.statusCode, 200);
    assert.match(String(first.response.headers['content-type']), /^text\/javascript/);
    assert.equal(first.response.headers['cache-control'], 'public, max-age=300');
    assert.match(String(first.response.headers.vary), /accept-encoding/i);
    assert.equal(first.response.headers['access-control-allow-origin'], '*');
    const etag = String(first.response.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    assert.ok(first.body.byteLength < 1024, `a small loader (${first.body.byteLength} B)`);

    const again = await get('/embed.js', { 'if-none-match': etag });
    assert.equal(again.response.statusCode, 304);
    assert.equal(again.body.byteLength, 0);
    assert.equal(again.response.headers.etag, etag);
    const listed = await get('/embed.js', { 'if-none-match': `"other", W/${etag}` });
    assert.equal(listed.response.statusCode, 304, 'one of a list, weak comparison');
    const stale = await get('/embed.js', { 'if-none-match': '"something-else"' });
    assert.equal(stale.response.statusCode, 200);

    const gzip = await get('/embed.js', { 'accept-encoding': 'gzip' });
    assert.equal(gzip.response.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), first.body);
    assert.notEqual(gzip.response.headers.etag, etag);
    assert.equal(
      (await get('/embed.js', { 'accept-encoding': 'gzip', 'if-none-match': etag })).response
        .statusCode,
      200,
      'the plain file’s ETag does not validate the gzipped one',
    );
    // What it names is served.
    assert.equal((await get(await widgetPath())).response.statusCode, 200);
  });

  it('loads the widget from the loader’s own directory, passing on a nonce', () => {
    const source = fs.readFileSync(EMBED_LOADER, 'utf8');
    const { widget } = readJson<EmbedManifest>(EMBED_MANIFEST);
    const added: { src: string; nonce: string; async: boolean }[] = [];
    const document = {
      currentScript: { src: 'https://comments.example/parley/embed.js?v=1', nonce: 'n0nce' },
      querySelector: () => null,
      createElement: () => ({ src: '', nonce: '', async: false }),
      head: { appendChild: (element: (typeof added)[number]) => added.push(element) },
    };
    vm.runInNewContext(source, { document, URL });
    assert.deepEqual(added, [
      { src: `https://comments.example/parley/${widget}`, nonce: 'n0nce', async: true },
    ]);

    // Without document.currentScript (a module, say) it finds its own element.
    added.length = 0;
    vm.runInNewContext(source, {
      document: {
        ...document,
        currentScript: null,
        querySelector: () => ({ src: 'https://c.example/embed.js', nonce: '' }),
      },
      URL,
    });
    assert.equal(added[0]?.src, `https://c.example/${widget}`);
    assert.equal(added[0]?.nonce, '');
  });

  it('sends the language files, notification features, dashboard and account files the same way', async () => {
    const embed = readJson<EmbedManifest>(EMBED_MANIFEST);
    const admin = readJson<AdminManifest>(ADMIN_MANIFEST);
    const account = readJson<AccountManifest>(ACCOUNT_MANIFEST);
    const urls = [
      `/${embed.i18n.ar}`,
      `/${embed.notify.en}`,
      `/admin/assets/${admin.script}`,
      `/admin/assets/${admin.style}`,
      `/account/assets/${account.css}`,
      `/account/assets/${account.scripts.he}`,
    ];
    for (const url of urls) {
      const { response, body } = await get(url, { 'accept-encoding': 'br, gzip' });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['content-encoding'], 'br', url);
      assert.equal(response.headers['cache-control'], YEAR, url);
      assert.match(String(response.headers.vary), /accept-encoding/i, url);
      assert.match(
        String(response.headers['content-type']),
        url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
        url,
      );
      const plain = await get(url);
      assert.deepEqual(brotliDecompressSync(body), plain.body, url);
    }
  });

  it('writes the dashboard and account pages with the built files’ names, keeping their CSP', async () => {
    const admin = readJson<AdminManifest>(ADMIN_MANIFEST);
    const page = await fetchText('/admin');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(`<script src="/admin/assets/${admin.script}" defer>`));
    assert.ok(page.text.includes(`href="/admin/assets/${admin.style}"`));
    assert.ok(!page.text.includes('/admin/assets/admin.js"'), 'no unhashed name');
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers['cache-control'], 'no-cache');
    const etag = String(page.headers.etag);
    const again = await fetchText('/admin/queues/pending', { 'if-none-match': etag });
    assert.equal(again.status, 304);

    const account = readJson<AccountManifest>(ACCOUNT_MANIFEST);
    const popup = await fetchText('/account/verify?lang=fr');
    assert.equal(popup.status, 200);
    assert.ok(popup.text.includes(`/account/assets/${account.scripts.fr}`));
    assert.match(String(popup.headers['content-security-policy']), /script-src 'self'(;|$)/);
  });

  it('answers 404 for names the build did not write', async () => {
    for (const url of [
      '/embed.0000000000.js',
      '/embed.abc.js',
      '/embed.js.br',
      '/embed.js.gz',
      '/i18n/ar.0000000000.js',
      '/notify/en.0000000000.js',
      '/admin/assets/admin.AAAAAAAA.js',
      '/admin/assets/admin.js',
      '/admin/assets/manifest.json',
      '/account/assets/account.en.AAAAAAAA.js',
      '/account/assets/manifest.json',
    ]) {
      const response = await fetchText(url);
      assert.equal(response.status, 404, url);
      assert.equal(response.json?.error?.code, 'NOT_FOUND', url);
      assert.equal(response.headers['cache-control'], undefined, `${url}: a 404 is not kept`);
    }
  });

  it('never leaves the build directory, however the path is written', async () => {
    const secret = fs.readFileSync(path.join(WEB_BUILD, '..', '..', 'package.json'), 'utf8');
    for (const url of [
      '/embed.%2e%2e%2f%2e%2e%2fpackage.json%00.js',
      '/embed.0000000000%2F..%2F..%2Fpackage.json.js',
      '/embed..%2F..%2Fpackage.js',
      '/i18n/..%2F..%2F..%2Fpackage.json',
      '/i18n/..%2Fmanifest.json',
      '/i18n/%2e%2e%2fembed.js',
      '/notify/..%2F..%2Fmanifest.json',
      '/notify/....%2F%2F....%2F%2Fpackage.json',
      '/admin/assets/..%2Fmanifest.json',
      '/admin/assets/..%2F..%2F..%2Fpackage.json',
      '/admin/assets/%2e%2e/%2e%2e/package.json',
      '/account/assets/..%2F..%2F..%2Fpackage.json',
      '/account/assets/..%5C..%5Cpackage.json',
      '/i18n/ar.%00.js',
    ]) {
      const response = await fetchText(url);
      assert.ok([400, 404].includes(response.status), `${url}: ${response.status}`);
      assert.ok(!response.text.includes('"devDependencies"'), `${url}: a file outside was sent`);
      assert.ok(!response.text.includes(secret.slice(0, 40)), url);
    }
  });

  it('writes manifests that name files which exist, with compressed forms of the same bytes', () => {
    const embed = readJson<EmbedManifest>(EMBED_MANIFEST);
    const admin = readJson<AdminManifest>(ADMIN_MANIFEST);
    const account = readJson<AccountManifest>(ACCOUNT_MANIFEST);
    const files = [
      path.join(WEB_BUILD, embed.loader),
      path.join(WEB_BUILD, embed.widget),
      ...Object.values(embed.i18n).map((file) => path.join(WEB_BUILD, file)),
      ...Object.values(embed.notify).map((file) => path.join(WEB_BUILD, file)),
      ...[admin.script, admin.style].map((file) => path.join(path.dirname(ADMIN_MANIFEST), file)),
      ...[account.css, ...Object.values(account.scripts)].map((file) =>
        path.join(path.dirname(ACCOUNT_MANIFEST), file),
      ),
    ];
    assert.equal(Object.keys(embed.i18n).length, 5);
    assert.equal(Object.keys(embed.notify).length, 6);
    assert.equal(Object.keys(account.scripts).length, 6);
    for (const file of files) {
      const contents = fs.readFileSync(file);
      assert.ok(contents.byteLength > 0, file);
      assert.deepEqual(brotliDecompressSync(fs.readFileSync(`${file}.br`)), contents, file);
      assert.deepEqual(gunzipSync(fs.readFileSync(`${file}.gz`)), contents, file);
    }
    assert.ok(fs.readFileSync(EMBED_LOADER, 'utf8').includes(`"${embed.widget}"`));
  });

  it('logged no failure while serving all this', () => {
    assert.deepEqual(
      problems.filter((line) => (JSON.parse(line) as { level: number }).level >= 50),
      [],
    );
  });

  it('builds loader and widget side by side, counts both in the budget, prints brotli sizes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-assets-'));
    try {
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
      for (const name of ['embed.0123456789.js', 'embed.0123456789.js.br']) {
        fs.writeFileSync(path.join(dir, name), 'stale');
        fs.utimesSync(path.join(dir, name), twoDaysAgo, twoDaysAgo);
      }
      const result = await buildEmbed({ outDir: dir });
      const names = fs.readdirSync(dir).filter((name) => name.startsWith('embed.'));
      const widget = path.basename(result.file);
      assert.deepEqual(
        names.sort(),
        ['embed.js', 'embed.js.br', 'embed.js.gz', widget, `${widget}.br`, `${widget}.gz`].sort(),
        'the widget of a build older than a day is removed',
      );
      assert.equal(result.loader.file, path.join(dir, 'embed.js'));
      assert.equal(result.firstPaintGzipBytes, result.loader.gzipBytes + result.gzipBytes);
      assert.ok(result.brotliBytes < result.gzipBytes, 'brotli is the smaller');
      // The sizes are those of the files served, which a default gzip would not beat.
      assert.equal(result.gzipBytes, fs.statSync(`${result.file}.gz`).size);
      assert.ok(result.gzipBytes <= gzipSync(fs.readFileSync(result.file)).byteLength);
      assert.equal(
        result.withinBudget,
        result.firstPaintGzipBytes <= EMBED_GZIP_BUDGET_BYTES &&
          result.languages.every((language) => language.gzipBytes <= 2048),
      );
      const printed = formatSizeLine(result);
      assert.match(printed, /^embed\.js \(loader\) .*gzip \d+ B, brotli \d+ B/m);
      assert.match(printed, new RegExp(`^${widget.replace(/\./g, '\\.')} .*brotli \\d+ B`, 'm'));
      assert.match(
        printed,
        new RegExp(
          `first paint \\(loader \\+ widget\\): gzip \\d+ B of ${EMBED_GZIP_BUDGET_BYTES} B, brotli \\d+ B`,
        ),
      );
      for (const line of printed.split('\n').filter((line) => /\.js /.test(line))) {
        assert.match(line, /brotli \d+ B/, line);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('picks brotli, then gzip, by the weights the browser gives', () => {
    assert.equal(pickEncoding(undefined), undefined);
    assert.equal(pickEncoding(''), undefined);
    assert.equal(pickEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(pickEncoding('GZIP'), 'gzip');
    assert.equal(pickEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(pickEncoding('*'), 'br');
    assert.equal(pickEncoding('*;q=0, gzip;q=0.1'), 'gzip');
    assert.equal(pickEncoding('br;q=0, gzip;q=0, identity'), undefined);
    assert.equal(pickEncoding('deflate'), undefined);
    assert.equal(pickEncoding('br;q=abc'), undefined, 'a weight that is not a number refuses');
  });
});
