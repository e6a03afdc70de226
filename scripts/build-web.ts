/**
 * Builds the browser bundles with esbuild: the embeddable comment widget (web/embed/src/main.tsx
 * into build/web/embed.js: IIFE, minified, ES2019, its gzipped size checked against the
 * first-paint budget), its interface languages other than English (web/embed/src/i18n/<lang>.ts
 * into build/web/i18n/<lang>.<version>.js: ES modules the widget imports on pages in that
 * language, each with a budget of its own), its notification features (web/embed/src/notify into
 * build/web/notify/<lang>.<version>.js, imported once a reader signs in), the moderation dashboard
 * (web/admin/src/main.tsx into build/web/admin.js and admin.css, minified, no budget) and Parley's
 * own account pages (web/account: one script per interface language and a stylesheet, named by
 * their contents' hash, into build/web/account/ with a manifest.json the server reads). Run
 * directly (`node --import tsx scripts/build-web.ts [--analyze]`) it prints the sizes (with
 * --analyze, what embed.js is made of) and exits non-zero when the widget is over budget; the
 * server can import buildWeb().
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { analyzeMetafile, build, transform } from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';

/** embed.js, which every page loads before the widget can show anything. */
export const EMBED_GZIP_BUDGET_BYTES = 20 * 1024;
/** Each language file, which a page in that language loads before the first render as well. */
export const LANGUAGE_GZIP_BUDGET_BYTES = 2 * 1024;
/** The languages built into files of their own (English is built into embed.js). */
export const SPLIT_LANGUAGES = ['ar', 'he', 'zh', 'fr', 'es'] as const;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface WebBuildOptions {
  /** Directory that receives embed.js, admin.js and admin.css; defaults to build/web. */
  readonly outDir?: string;
}

export interface WebBuildResult {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** embed.js and every language file are within their budgets. */
  readonly withinBudget: boolean;
  /** The language files, each within LANGUAGE_GZIP_BUDGET_BYTES or not. */
  readonly languages: readonly LanguageFile[];
  /** The notification features' files, one per language (loaded after the first paint). */
  readonly notify: readonly LanguageFile[];
  /** What embed.js is made of (esbuild's metafile), for `analyzeMetafile`. */
  readonly metafile: Metafile;
  /** The moderation dashboard's files. */
  readonly admin: AdminBuildResult;
  /** The account pages' files (sign-in popup, your account, mailed links). */
  readonly account: AccountBuildResult;
}

export interface LanguageFile {
  readonly lang: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface AdminBuildResult {
  readonly files: readonly { readonly file: string; readonly bytes: number }[];
}

/** Builds both bundles; the result describes embed.js (with its budget) and the dashboard. */
export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuildResult> {
  const [embed, admin, account] = await Promise.all([
    buildEmbed(options),
    buildAdmin(options),
    buildAccount(options),
  ]);
  return { ...embed, admin, account };
}

export async function buildEmbed(
  options: WebBuildOptions = {},
): Promise<Omit<WebBuildResult, 'admin' | 'account'>> {
  const outDir = options.outDir ?? join(repoRoot, 'build', 'web');
  const file = join(outDir, 'embed.js');
  // The language files first: their version (a hash of their contents) is built into embed.js.
  const [{ version, languages }, notify] = await Promise.all([
    buildLanguages(outDir),
    buildNotify(outDir),
  ]);
  const result = await build({
    entryPoints: [join(repoRoot, 'web', 'embed', 'src', 'main.tsx')],
    bundle: true,
    write: false,
    outfile: file,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    legalComments: 'none',
    tsconfig: join(repoRoot, 'web', 'embed', 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: {
      'process.env.NODE_ENV': '"production"',
      PARLEY_I18N_VERSION: JSON.stringify(version),
      PARLEY_NOTIFY_VERSION: JSON.stringify(notify.version),
    },
    // The widget imports its language file with import(), which ES2019 engines lack by name
    // only: every browser that runs Shadow DOM v1 and ES2019 also has dynamic import.
    supported: { 'dynamic-import': true },
    plugins: [minifiedCssAsText],
    metafile: true,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for embed.js');

  await mkdir(outDir, { recursive: true });
  await writeFile(file, output.contents);
  const gzipBytes = gzipSync(output.contents).byteLength;
  return {
    file,
    bytes: output.contents.byteLength,
    gzipBytes,
    withinBudget:
      gzipBytes <= EMBED_GZIP_BUDGET_BYTES &&
      languages.every((language) => language.gzipBytes <= LANGUAGE_GZIP_BUDGET_BYTES),
    languages,
    notify: notify.files,
    metafile: result.metafile,
  };
}

/**
 * Builds the widget's notification features (web/embed/src/notify: the bell, the reader's
 * settings, the offer to be emailed, @mention suggestions, links to a comment) into
 * notify/<lang>.<version>.js, one ES module per language with that language's words and a Preact
 * of its own, which embed.js imports once a reader is signed in or a link names a comment
 * (web/embed/src/state/features.ts).
 * Kept out of embed.js, whose first paint most readers (not signed in) pay for; replaces the files
 * of earlier builds.
 */
async function buildNotify(outDir: string): Promise<{ version: string; files: LanguageFile[] }> {
  const source = join(repoRoot, 'web', 'embed', 'src', 'notify', 'entry');
  const langs = ['en', ...SPLIT_LANGUAGES];
  const result = await build({
    entryPoints: Object.fromEntries(langs.map((lang) => [lang, join(source, `${lang}.ts`)])),
    bundle: true,
    write: false,
    outdir: outDir,
    format: 'esm',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    tsconfig: join(repoRoot, 'web', 'embed', 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [minifiedCssAsText],
    logLevel: 'silent',
  });
  const outputs = langs.map((lang) => {
    const output = result.outputFiles.find(
      (candidate) => basename(candidate.path) === `${lang}.js`,
    );
    if (!output) throw new Error(`esbuild produced no notification features for ${lang}`);
    return { lang, contents: output.contents };
  });
  const hash = createHash('sha256');
  for (const { contents } of outputs) hash.update(contents);
  const version = hash.digest('hex').slice(0, 10);

  const dir = join(outDir, 'notify');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const files: LanguageFile[] = [];
  for (const { lang, contents } of outputs) {
    const file = join(dir, `${lang}.${version}.js`);
    await writeFile(file, contents);
    files.push({
      lang,
      file,
      bytes: contents.byteLength,
      gzipBytes: gzipSync(contents).byteLength,
    });
  }
  return { version, files };
}

/**
 * Builds each language other than English into i18n/<lang>.<version>.js (an ES module whose
 * default export is the strings), replacing the files of earlier builds. The version is a hash of
 * all of them, so the server can let browsers cache them for good.
 */
async function buildLanguages(
  outDir: string,
): Promise<{ version: string; languages: LanguageFile[] }> {
  const source = join(repoRoot, 'web', 'embed', 'src', 'i18n');
  const result = await build({
    entryPoints: Object.fromEntries(
      SPLIT_LANGUAGES.map((lang) => [lang, join(source, `${lang}.ts`)]),
    ),
    bundle: true,
    write: false,
    outdir: outDir,
    format: 'esm',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    tsconfig: join(repoRoot, 'web', 'embed', 'tsconfig.json'),
    logLevel: 'silent',
  });
  const outputs = SPLIT_LANGUAGES.map((lang) => {
    const output = result.outputFiles.find(
      (candidate) => basename(candidate.path) === `${lang}.js`,
    );
    if (!output) throw new Error(`esbuild produced no output for the language ${lang}`);
    return { lang, contents: output.contents };
  });
  const hash = createHash('sha256');
  for (const { contents } of outputs) hash.update(contents);
  const version = hash.digest('hex').slice(0, 10);

  const dir = join(outDir, 'i18n');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const languages: LanguageFile[] = [];
  for (const { lang, contents } of outputs) {
    const file = join(dir, `${lang}.${version}.js`);
    await writeFile(file, contents);
    languages.push({
      lang,
      file,
      bytes: contents.byteLength,
      gzipBytes: gzipSync(contents).byteLength,
    });
  }
  return { version, languages };
}

/**
 * Bundles the moderation dashboard: admin.js (IIFE, minified) and admin.css (its imported
 * stylesheets, minified), served by src/server/admin-page.ts. Moderators use current desktop
 * browsers, so it targets ES2020 and has no size budget.
 */
export async function buildAdmin(options: WebBuildOptions = {}): Promise<AdminBuildResult> {
  const outDir = options.outDir ?? join(repoRoot, 'build', 'web');
  const result = await build({
    entryPoints: { admin: join(repoRoot, 'web', 'admin', 'src', 'main.tsx') },
    bundle: true,
    write: false,
    outdir: outDir,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    tsconfig: join(repoRoot, 'web', 'admin', 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const wanted = ['admin.js', 'admin.css'].map((name) => join(outDir, name));
  await mkdir(outDir, { recursive: true });
  const files = [];
  for (const file of wanted) {
    const output = result.outputFiles.find((candidate) => candidate.path === file);
    if (!output) throw new Error(`esbuild produced no ${basename(file)}`);
    await writeFile(file, output.contents);
    files.push({ file, bytes: output.contents.byteLength });
  }
  return { files };
}

export interface AccountBuildResult {
  readonly files: readonly {
    readonly file: string;
    readonly bytes: number;
    readonly gzipBytes: number;
  }[];
}

/** The account pages' languages: each gets a script of its own, with only its words. */
export const ACCOUNT_LANGUAGES = ['en', 'ar', 'he', 'zh', 'fr', 'es'] as const;

/**
 * Bundles Parley's account pages (src/server/account-pages.ts): account.<lang>.<hash>.js per
 * language (web/account/src/entry/<lang>.ts: the pages plus that language's words, IIFE, ES2019
 * like the widget, since readers open them) and account.<hash>.css, into build/web/account/ with
 * manifest.json naming them, replacing the files of earlier builds. The hashed names let the
 * server cache them for good.
 */
export async function buildAccount(options: WebBuildOptions = {}): Promise<AccountBuildResult> {
  const outDir = join(options.outDir ?? join(repoRoot, 'build', 'web'), 'account');
  const source = join(repoRoot, 'web', 'account', 'src');
  const result = await build({
    entryPoints: {
      ...Object.fromEntries(
        ACCOUNT_LANGUAGES.map((lang) => [`account.${lang}`, join(source, 'entry', `${lang}.ts`)]),
      ),
      account: join(source, 'account.css'),
    },
    entryNames: '[name].[hash]',
    bundle: true,
    write: false,
    outdir: outDir,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    tsconfig: join(repoRoot, 'web', 'account', 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const named = (pattern: RegExp) => {
    const output = result.outputFiles.find((candidate) => pattern.test(basename(candidate.path)));
    if (!output) throw new Error(`esbuild produced no file like ${pattern.source}`);
    return output;
  };
  const css = named(/^account\.[A-Z0-9]+\.css$/);
  const scripts = ACCOUNT_LANGUAGES.map((lang) => ({
    lang,
    output: named(new RegExp(`^account\\.${lang}\\.[A-Z0-9]+\\.js$`)),
  }));

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const files = [];
  for (const output of [css, ...scripts.map(({ output }) => output)]) {
    await writeFile(output.path, output.contents);
    files.push({
      file: output.path,
      bytes: output.contents.byteLength,
      gzipBytes: gzipSync(output.contents).byteLength,
    });
  }
  const manifest = {
    css: basename(css.path),
    scripts: Object.fromEntries(scripts.map(({ lang, output }) => [lang, basename(output.path)])),
  };
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { files };
}

export function formatSizeLine(result: Omit<WebBuildResult, 'admin' | 'account'>): string {
  const largest = Math.max(0, ...result.languages.map((language) => language.gzipBytes));
  return [
    `embed.js  ${kilobytes(result.bytes)}  (gzip ${result.gzipBytes} B of ${EMBED_GZIP_BUDGET_BYTES} B)`,
    ...result.languages.map(
      ({ file, bytes, gzipBytes }) =>
        `i18n/${basename(file)}  ${kilobytes(bytes)}  (gzip ${gzipBytes} B of ${LANGUAGE_GZIP_BUDGET_BYTES} B)`,
    ),
    `first paint: gzip ${result.gzipBytes} B in English, at most ${result.gzipBytes + largest} B in another language`,
    ...result.notify.map(
      ({ file, bytes, gzipBytes }) =>
        `notify/${basename(file)}  ${kilobytes(bytes)}  (gzip ${gzipBytes} B, after the first paint)`,
    ),
  ].join('\n');
}

export function formatAdminLine(result: AdminBuildResult): string {
  return result.files.map(({ file, bytes }) => `${basename(file)}  ${kilobytes(bytes)}`).join('\n');
}

export function formatAccountLine(result: AccountBuildResult): string {
  return result.files
    .map(
      ({ file, bytes, gzipBytes }) =>
        `account/${basename(file)}  ${kilobytes(bytes)}  (gzip ${gzipBytes} B)`,
    )
    .join('\n');
}

const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Imports of .css files become their minified text, ready for a <style> element. */
const minifiedCssAsText: Plugin = {
  name: 'minified-css-as-text',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.css$/ }, async ({ path }) => {
      const { code } = await transform(await readFile(path, 'utf8'), {
        loader: 'css',
        minify: true,
      });
      return { contents: code.trim(), loader: 'text' };
    });
  },
};

async function main(): Promise<void> {
  const result = await buildWeb();
  if (process.argv.includes('--analyze')) {
    console.log(await analyzeMetafile(result.metafile));
  }
  console.log(formatSizeLine(result));
  console.log(formatAdminLine(result.admin));
  console.log(formatAccountLine(result.account));
  if (result.gzipBytes > EMBED_GZIP_BUDGET_BYTES) {
    console.error(
      `embed.js is over its first-paint budget: gzip ${result.gzipBytes} B > ${EMBED_GZIP_BUDGET_BYTES} B`,
    );
  }
  for (const { file, gzipBytes } of result.languages) {
    if (gzipBytes > LANGUAGE_GZIP_BUDGET_BYTES) {
      console.error(
        `${basename(file)} is over its budget: gzip ${gzipBytes} B > ${LANGUAGE_GZIP_BUDGET_BYTES} B`,
      );
    }
  }
  if (!result.withinBudget) process.exitCode = 1;
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (runDirectly) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
