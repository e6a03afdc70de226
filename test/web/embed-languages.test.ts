/**
 * The widget's interface languages (web/embed/src/i18n.ts and i18n/<lang>.ts): English is built
 * into embed.js, every other language into a file of its own whose versioned name embed.js knows,
 * and a language that cannot be loaded falls back to English.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import {
  EMBED_GZIP_BUDGET_BYTES,
  LANGUAGE_GZIP_BUDGET_BYTES,
  SPLIT_LANGUAGES,
  buildEmbed,
} from '../../scripts/build-web.ts';
import { isRtl, loadMessages, pickLanguage } from '../../web/embed/src/i18n.ts';
import type { Messages } from '../../web/embed/src/i18n.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-embed-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('widget languages', () => {
  it('builds each language other than English into a versioned file that embed.js names', async () => {
    fs.mkdirSync(path.join(dir, 'i18n'), { recursive: true });
    // An earlier build's file: one from two days ago goes, one from an hour ago stays a day.
    fs.writeFileSync(path.join(dir, 'i18n', 'ar.stale.js'), 'export default {}');
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    fs.utimesSync(path.join(dir, 'i18n', 'ar.stale.js'), twoDaysAgo, twoDaysAgo);
    fs.writeFileSync(path.join(dir, 'i18n', 'he.0123456789.js'), 'export default {}');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(path.join(dir, 'i18n', 'he.0123456789.js'), anHourAgo, anHourAgo);
    const result = await buildEmbed({ outDir: dir });
    assert.ok(result.gzipBytes <= EMBED_GZIP_BUDGET_BYTES, `${result.gzipBytes} B`);
    assert.equal(result.withinBudget, true);
    assert.deepEqual(
      result.languages.map((language) => language.lang),
      [...SPLIT_LANGUAGES],
    );
    const all = fs.readdirSync(path.join(dir, 'i18n'));
    assert.ok(!all.includes('ar.stale.js'), 'files of builds older than a day are removed');
    assert.ok(all.includes('he.0123456789.js'), 'files of a recent build stay for open pages');
    const names = all.filter((name) => name.endsWith('.js') && name !== 'he.0123456789.js').sort();
    for (const name of names) {
      assert.ok(all.includes(`${name}.br`) && all.includes(`${name}.gz`), `${name} compressed`);
    }
    assert.equal(names.length, SPLIT_LANGUAGES.length);
    const version = /^ar\.([0-9a-f]+)\.js$/.exec(names[0]!)?.[1];
    assert.ok(version, names[0]);
    assert.deepEqual(
      names,
      [...SPLIT_LANGUAGES].sort().map((lang) => `${lang}.${version}.js`),
    );
    const embed = fs.readFileSync(result.file, 'utf8');
    assert.ok(embed.includes(`.${version}.js`), 'embed.js asks for this version');
    assert.ok(!embed.includes('commentsHeading:e=>`التعليقات'), 'no Arabic strings in embed.js');

    for (const language of result.languages) {
      assert.ok(language.gzipBytes <= LANGUAGE_GZIP_BUDGET_BYTES, `${language.lang}: too big`);
      // Loaded as an ES module, the built file gives the same strings as its source.
      const copy = path.join(dir, `${language.lang}.mjs`);
      fs.copyFileSync(language.file, copy);
      const built = ((await import(pathToFileURL(copy).href)) as { default: Messages }).default;
      const source = (
        (await import(`../../web/embed/src/i18n/${language.lang}.ts`)) as { default: Messages }
      ).default;
      assert.deepEqual(Object.keys(built), Object.keys(source));
      assert.equal(built.joinPrompt, source.joinPrompt);
      assert.equal(built.commentsHeading(3), source.commentsHeading(3));
    }
  });

  it('gives English at once, and English when a language file cannot be loaded', async () => {
    const english = await loadMessages('en', 'https://comments.example/embed.js');
    assert.equal(english.lang, 'en');
    assert.equal(english.t.signIn, 'Sign in');
    // Set by the build; here the import fails (Node cannot import over http), as when blocked.
    (globalThis as { PARLEY_I18N_VERSION?: string }).PARLEY_I18N_VERSION = '0';
    const fallback = await loadMessages('he', 'http://127.0.0.1:9/embed.js');
    assert.equal(fallback.lang, 'en');
    assert.equal(fallback.t, english.t);
  });

  it('picks the first supported language, right to left for Arabic and Hebrew', () => {
    assert.equal(pickLanguage([undefined, 'fr-CA', 'ar']), 'fr');
    assert.equal(pickLanguage(['iw']), 'he');
    assert.equal(pickLanguage(['de', '']), 'en');
    assert.deepEqual((['en', 'ar', 'he', 'zh', 'fr', 'es'] as const).filter(isRtl), ['ar', 'he']);
  });
});
