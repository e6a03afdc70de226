/**
 * Builds the browser bundles with esbuild, each named by a hash of its contents so that browsers
 * may cache it for a year, and each beside its brotli (.br) and gzip (.gz) forms, compressed once
 * here at the highest levels so that the server (src/server/assets.ts) only picks one:
 *
 * - the embeddable comment widget (web/embed/src/main.tsx into build/web/embed.<hash>.js: IIFE,
 *   minified, ES2019) and its loader, build/web/embed.js: the one stable address publishers put in
 *   their pages, a few hundred bytes cached for minutes, which adds a script element for the
 *   widget's current file. Together they are held to the first-paint budget;
 * - the widget's interface languages other than English (web/embed/src/i18n/<lang>.ts into
 *   build/web/i18n/<lang>.<version>.js: ES modules the widget imports on pages in that language,
 *   each with a budget of its own) and its notification features and comment forms
 *   (web/embed/src/notify into build/web/notify/<lang>.<version>.js, imported once a reader signs
 *   in);
 * - the moderation dashboard (web/admin/src/main.tsx into build/web/admin/admin.<hash>.js and
 *   admin.<hash>.css, minified, no budget) and Parley's own account pages (web/account: one script
 *   per interface language and a stylesheet, into build/web/account/), each directory with a
 *   manifest.json naming its files, which the server reads to write its pages.
 *
 * build/web/manifest.json names the widget's files. Files of earlier builds are removed once the
 * new ones are written and they are a day old (EARLIER_BUILD_GRACE_MS: pages opened before a
 * deploy still ask for them; a server reading the directory meanwhile always finds what it names). Run
 * directly (`node --import tsx scripts/build-web.ts [--analyze]`) it prints the sizes (with
 * --analyze, what the widget is made of) and exits non-zero when the widget is over budget; the
 * server can import buildWeb().
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { analyzeMetafile, build, transform } from 'esbuild';
import type { Metafile, Plugin } from 'esbuild';
import { avatarPaletteCss } from '../src/domain/avatar.ts';
import { INTERFACE_LANGUAGES, type InterfaceLanguage } from '../src/domain/vocabulary.ts';

/** The loader and the widget's file, which every page loads before the widget can show anything. */
export const EMBED_GZIP_BUDGET_BYTES = 20 * 1024;
/** Each language file, which a page in that language loads before the first render as well. */
export const LANGUAGE_GZIP_BUDGET_BYTES = 2 * 1024;
/** The languages built into files of their own (English is built into the widget's file). */
export const SPLIT_LANGUAGES = INTERFACE_LANGUAGES.filter(
  (lang): lang is Exclude<InterfaceLanguage, 'en'> => lang !== 'en',
);
/** The widget's file: `embed.<hash>.js`, beside the loader (src/server/static.ts serves it). */
export const WIDGET_FILE = /^embed\.[0-9a-f]{10,64}\.js$/;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface WebBuildOptions {
  /** Directory that receives the files; defaults to build/web. */
  readonly outDir?: string;
}

/** A file written with its compressed forms, and the sizes of all three. */
export interface BuiltFile {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly brotliBytes: number;
}

export interface WebBuildResult extends BuiltFile {
  /** The loader, build/web/embed.js (the widget's file is `file`). */
  readonly loader: BuiltFile;
  /** What a page loads before the widget shows anything in English: loader and widget, gzipped. */
  readonly firstPaintGzipBytes: number;
  readonly firstPaintBrotliBytes: number;
  /** Loader and widget, and every language file, are within their budgets. */
  readonly withinBudget: boolean;
  /** The language files, each within LANGUAGE_GZIP_BUDGET_BYTES or not. */
  readonly languages: readonly LanguageFile[];
  /** The notification features' files, one per language (loaded after the first paint). */
  readonly notify: readonly LanguageFile[];
  /** What the widget is made of (esbuild's metafile), for `analyzeMetafile`. */
  readonly metafile: Metafile;
  /** The moderation dashboard's files. */
  readonly admin: AdminBuildResult;
  /** The account pages' files (sign-in popup, your account, mailed links). */
  readonly account: AccountBuildResult;
}

export interface LanguageFile extends BuiltFile {
  readonly lang: string;
}

/** What build/web/manifest.json says (paths relative to build/web). */
export interface EmbedManifest {
  readonly loader: string;
  readonly widget: string;
  readonly i18n: Readonly<Record<string, string>>;
  readonly notify: Readonly<Record<string, string>>;
}

/** Builds every bundle; the result describes the widget (with its budget) and the other files. */
export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuildResult> {
  const [embed, admin, account] = await Promise.all([
    buildEmbed(options),
    buildAdmin(options),
    buildAccount(options),
    buildRenderedCss(options),
  ]);
  return { ...embed, admin, account };
}

/**
 * Writes `contents` to `file` with its brotli (`file.br`) and gzip (`file.gz`) forms beside it,
 * compressed at the highest levels: it is done once, and every reader gets the smaller file.
 */
export async function writeCompressed(file: string, contents: Uint8Array): Promise<BuiltFile> {
  const gzip = gzipSync(contents, { level: constants.Z_BEST_COMPRESSION });
  const brotli = brotliCompressSync(contents, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: contents.byteLength,
    },
  });
  await mkdir(dirname(file), { recursive: true });
  // The compressed forms first: a server that finds the file finds them too.
  await writeWhole(`${file}.br`, brotli);
  await writeWhole(`${file}.gz`, gzip);
  await writeWhole(file, contents);
  return {
    file,
    bytes: contents.byteLength,
    gzipBytes: gzip.byteLength,
    brotliBytes: brotli.byteLength,
  };
}

/**
 * Writes a file aside and renames it into place: a server reading it meanwhile (the loader and the
 * manifests keep their names) gets the old file or the new one, never part of one.
 */
async function writeWhole(file: string, contents: Uint8Array | string): Promise<void> {
  const aside = `${file}.${process.pid}.tmp`;
  await writeFile(aside, contents);
  await rename(aside, file);
}

/**
 * How long the hashed files of earlier builds stay beside the new ones. A page opened before a
 * deploy still holds the old loader's widget (browsers keep embed.js five minutes) and lazily asks
 * for the old language and notification files and the old dashboard bundle: those go on being
 * served for a day, then a later build removes them.
 */
export const EARLIER_BUILD_GRACE_MS = 24 * 3_600_000;

/**
 * Removes from `dir` the files `isOurs` recognises that this build did not write (and their
 * .br/.gz), once they are older than EARLIER_BUILD_GRACE_MS.
 */
async function removeEarlier(
  dir: string,
  isOurs: (name: string) => boolean,
  written: readonly string[],
): Promise<void> {
  const keep = new Set(written.map((file) => basename(file)));
  const cutoff = Date.now() - EARLIER_BUILD_GRACE_MS;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // Not a file, or one that a build running at the same time is writing.
    if (!entry.isFile() || entry.name.endsWith('.tmp')) continue;
    const name = entry.name.replace(/\.(br|gz)$/, '');
    if (!isOurs(name) || keep.has(name)) continue;
    const file = join(dir, entry.name);
    const { mtimeMs } = await stat(file).catch(() => ({ mtimeMs: Infinity }));
    if (mtimeMs < cutoff) await rm(file, { force: true });
  }
}

const contentHash = (contents: Uint8Array) =>
  createHash('sha256').update(contents).digest('hex').slice(0, 10);

export async function buildEmbed(
  options: WebBuildOptions = {},
): Promise<Omit<WebBuildResult, 'admin' | 'account'>> {
  const outDir = options.outDir ?? join(repoRoot, 'build', 'web');
  // The language files first: their version (a hash of their contents) is built into the widget.
  const [{ version, languages }, notify] = await Promise.all([
    buildLanguages(outDir),
    buildNotify(outDir),
  ]);
  const result = await build({
    entryPoints: [join(repoRoot, 'web', 'embed', 'src', 'main.tsx')],
    bundle: true,
    write: false,
    outfile: join(outDir, 'embed.js'),
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
  if (!output) throw new Error('esbuild produced no output for the widget');

  const widgetName = `embed.${contentHash(output.contents)}.js`;
  // The widget before the loader that names it.
  const widget = await writeCompressed(join(outDir, widgetName), output.contents);
  const loader = await writeCompressed(
    join(outDir, 'embed.js'),
    new TextEncoder().encode(await loaderSource(widgetName)),
  );
  await removeEarlier(outDir, (name) => WIDGET_FILE.test(name), [widget.file]);
  const manifest: EmbedManifest = {
    loader: 'embed.js',
    widget: widgetName,
    i18n: Object.fromEntries(languages.map(({ lang, file }) => [lang, `i18n/${basename(file)}`])),
    notify: Object.fromEntries(
      notify.files.map(({ lang, file }) => [lang, `notify/${basename(file)}`]),
    ),
  };
  await writeWhole(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const firstPaintGzipBytes = loader.gzipBytes + widget.gzipBytes;
  return {
    ...widget,
    loader,
    firstPaintGzipBytes,
    firstPaintBrotliBytes: loader.brotliBytes + widget.brotliBytes,
    withinBudget:
      firstPaintGzipBytes <= EMBED_GZIP_BUDGET_BYTES &&
      languages.every((language) => language.gzipBytes <= LANGUAGE_GZIP_BUDGET_BYTES),
    languages,
    notify: notify.files,
    metafile: result.metafile,
  };
}

/**
 * The loader, embed.js: adds a script element for the widget's file, from the same directory as
 * the loader itself, so the widget learns Parley's origin from its own src as it always did, and
 * finds its container and settings in the page as before. A publisher's nonce (a strict
 * Content-Security-Policy) is passed on. ES5, since it is the one file every browser runs.
 */
async function loaderSource(widgetName: string): Promise<string> {
  const source = `(function () {
  var d = document;
  var self = d.currentScript || d.querySelector('script[src*="/embed.js"]');
  if (!self || !self.src) return;
  var widget = d.createElement('script');
  widget.src = new URL(${JSON.stringify(widgetName)}, self.src).href;
  widget.async = true;
  if (self.nonce) widget.nonce = self.nonce;
  (d.head || d.documentElement).appendChild(widget);
})();`;
  const { code } = await transform(source, { minify: true, target: 'es5', legalComments: 'none' });
  return code;
}

/**
 * Builds the widget's notification features (web/embed/src/notify: the bell, the reader's
 * settings, the offer to be emailed, @mention suggestions, links to a comment) and the forms only
 * a signed-in reader uses (the composer, a reply, an edit, a report, the question before deleting)
 * into notify/<lang>.<version>.js, one ES module per language with that language's words and a
 * Preact of its own, which the widget imports once a reader is signed in or a link names a comment
 * (web/embed/src/state/features.ts).
 * Kept out of the widget's file, whose first paint most readers (not signed in) pay for; replaces
 * the files of earlier builds.
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
  return writeVersioned(join(outDir, 'notify'), outputs);
}

/**
 * Writes files named <lang>.<version>.js into `dir`, the version being a hash of all of them, so
 * that the widget names one version for every language; removes the files of earlier builds.
 */
async function writeVersioned(
  dir: string,
  outputs: readonly { lang: string; contents: Uint8Array }[],
): Promise<{ version: string; files: LanguageFile[] }> {
  const hash = createHash('sha256');
  for (const { contents } of outputs) hash.update(contents);
  const version = hash.digest('hex').slice(0, 10);
  const files: LanguageFile[] = [];
  for (const { lang, contents } of outputs) {
    files.push({ lang, ...(await writeCompressed(join(dir, `${lang}.${version}.js`), contents)) });
  }
  await removeEarlier(
    dir,
    () => true,
    files.map(({ file }) => file),
  );
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
  const { version, files } = await writeVersioned(join(outDir, 'i18n'), outputs);
  return { version, languages: files };
}

export interface AdminBuildResult {
  readonly files: readonly BuiltFile[];
}

/** What build/web/admin/manifest.json says: the dashboard's files, in build/web/admin/. */
export interface AdminManifest {
  readonly script: string;
  readonly style: string;
}

/**
 * Bundles the moderation dashboard into build/web/admin/: admin.<hash>.js (IIFE, minified) and
 * admin.<hash>.css (its imported stylesheets, minified), named in manifest.json, which
 * src/server/admin-page.ts reads to write the page. Moderators use current desktop browsers, so it
 * targets ES2020 and has no size budget.
 */
export async function buildAdmin(options: WebBuildOptions = {}): Promise<AdminBuildResult> {
  const webDir = options.outDir ?? join(repoRoot, 'build', 'web');
  const outDir = join(webDir, 'admin');
  const result = await build({
    entryPoints: { admin: join(repoRoot, 'web', 'admin', 'src', 'main.tsx') },
    entryNames: '[name].[hash]',
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
  const named = (pattern: RegExp) => {
    const output = result.outputFiles.find((candidate) => pattern.test(basename(candidate.path)));
    if (!output) throw new Error(`esbuild produced no file like ${pattern.source}`);
    return output;
  };
  const script = named(/^admin\.[A-Z0-9]+\.js$/);
  const style = named(/^admin\.[A-Z0-9]+\.css$/);
  const files = [
    await writeCompressed(script.path, script.contents),
    await writeCompressed(style.path, style.contents),
  ];
  const manifest: AdminManifest = { script: basename(script.path), style: basename(style.path) };
  await writeWhole(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await removeEarlier(
    outDir,
    (name) => name !== 'manifest.json',
    files.map(({ file }) => file),
  );
  // Earlier builds wrote admin.js and admin.css beside the widget.
  await rm(join(webDir, 'admin.js'), { force: true });
  await rm(join(webDir, 'admin.css'), { force: true });
  return { files };
}

export interface AccountBuildResult {
  readonly files: readonly BuiltFile[];
}

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
        INTERFACE_LANGUAGES.map((lang) => [`account.${lang}`, join(source, 'entry', `${lang}.ts`)]),
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
  const scripts = INTERFACE_LANGUAGES.map((lang) => ({
    lang,
    output: named(new RegExp(`^account\\.${lang}\\.[A-Z0-9]+\\.js$`)),
  }));

  const files = [];
  for (const output of [css, ...scripts.map(({ output }) => output)]) {
    files.push(await writeCompressed(output.path, output.contents));
  }
  const manifest = {
    css: basename(css.path),
    scripts: Object.fromEntries(scripts.map(({ lang, output }) => [lang, basename(output.path)])),
  };
  await writeWhole(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await removeEarlier(
    outDir,
    (name) => name !== 'manifest.json',
    files.map(({ file }) => file),
  );
  return { files };
}

/**
 * The server-rendered thread's stylesheet (src/server/rendered/markup.ts), written to
 * build/web/embed/rendered.css and served at /embed/rendered.css (src/server/static.ts): the
 * widget's own (web/embed/src/ui/widget.css), every rule scoped under the fragment's wrapper
 * (`.parley-rendered`, where the widget's rules say `:host`), after a reset that puts everything
 * in the fragment back to the browser's defaults, as in the widget's shadow root, whatever the
 * page's styles say (article margins, list markers, link colours, decorations in ::before). The
 * custom properties (--parley-*) are untouched, so a publisher's theme reaches both alike.
 * Stable name, like the loader: its address is in publishers' cached fragments.
 */
export async function buildRenderedCss(options: WebBuildOptions = {}): Promise<BuiltFile> {
  const outDir = join(options.outDir ?? join(repoRoot, 'build', 'web'), 'embed');
  const source = await readFile(join(repoRoot, 'web', 'embed', 'src', 'ui', 'widget.css'), 'utf8');
  const { code } = await transform(source, { loader: 'css', minify: true });
  const css = scopeWidgetCss(code);
  const { code: minified } = await transform(css, { loader: 'css', minify: true });
  return writeCompressed(join(outDir, 'rendered.css'), new TextEncoder().encode(minified));
}

/**
 * The fragment's scope. `:is(#parley-rendered, *)` matches any element but counts as an id, so the
 * fragment's rules (and its reset) outweigh a page's usual selectors (`article p`, `.entry a`,
 * `#main ol`) without !important, which would stop the widget's own rules from applying in turn.
 */
export const RENDERED_SCOPE = '.parley-rendered:is(#parley-rendered,*)';

/**
 * Buttons' box for the fragment's "more comments" link (a link there: it works with no script).
 * The avatars' colours follow, by index (src/domain/avatar.ts: no style attributes in the HTML).
 */
const RENDERED_EXTRA =
  `${RENDERED_SCOPE} a.more{display:inline-block;border:1px solid var(--field);` +
  'border-radius:var(--radius);background:none;color:var(--text);font-size:.875em;' +
  'font-weight:600;text-align:center;text-decoration:none;cursor:pointer}';

/** widget.css (minified) with each rule scoped under RENDERED_SCOPE, after the reset. */
export function scopeWidgetCss(css: string): string {
  const reset = `${RENDERED_SCOPE} *,${RENDERED_SCOPE} *::before,${RENDERED_SCOPE} *::after{all:revert}`;
  return reset + scopeRules(css) + RENDERED_EXTRA + avatarPaletteCss(RENDERED_SCOPE);
}

function scopeRules(css: string): string {
  let out = '';
  let at = 0;
  while (at < css.length) {
    const open = css.indexOf('{', at);
    if (open < 0) break;
    const prelude = css.slice(at, open).trim();
    const close = matchingBrace(css, open);
    const block = css.slice(open + 1, close);
    if (prelude.startsWith('@')) {
      // @media and @supports hold rules; any other at-rule is kept as it is.
      out += /^@(media|supports|container|layer)\b/.test(prelude)
        ? `${prelude}{${scopeRules(block)}}`
        : `${prelude}{${block}}`;
    } else {
      out += `${splitSelectors(prelude).map(scopeSelector).join(',')}{${block}}`;
    }
    at = close + 1;
  }
  return out;
}

function matchingBrace(css: string, open: number): number {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) return i;
  }
  throw new Error('widget.css: unbalanced braces');
}

/** A selector list split at its top-level commas (not those inside :is(), :not() and the like). */
function splitSelectors(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts;
}

/**
 * `:host` is the wrapper; `:host(X)` the wrapper in a container matching X (the container the
 * widget's shadow root would be attached to); anything else is inside the wrapper.
 */
export function scopeSelector(selector: string): string {
  if (selector.startsWith(':host(')) {
    const end = matchingParen(selector, ':host('.length - 1);
    const host = selector.slice(':host('.length, end);
    return `${host}>${RENDERED_SCOPE}${selector.slice(end + 1)}`;
  }
  if (selector.startsWith(':host')) return RENDERED_SCOPE + selector.slice(':host'.length);
  return `${RENDERED_SCOPE} ${selector}`;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  throw new Error(`widget.css: unbalanced parentheses in ${text}`);
}

const sizes = ({ bytes, gzipBytes, brotliBytes }: BuiltFile) =>
  `${kilobytes(bytes)}  (gzip ${gzipBytes} B, brotli ${brotliBytes} B)`;

export function formatSizeLine(result: Omit<WebBuildResult, 'admin' | 'account'>): string {
  const largest = Math.max(0, ...result.languages.map((language) => language.gzipBytes));
  const largestBrotli = Math.max(0, ...result.languages.map((language) => language.brotliBytes));
  return [
    `embed.js (loader)  ${sizes(result.loader)}`,
    `${basename(result.file)}  ${sizes(result)}`,
    ...result.languages.map(
      (language) =>
        `i18n/${basename(language.file)}  ${sizes(language)}  (budget: gzip ${LANGUAGE_GZIP_BUDGET_BYTES} B)`,
    ),
    `first paint (loader + widget): gzip ${result.firstPaintGzipBytes} B of ${EMBED_GZIP_BUDGET_BYTES} B, ` +
      `brotli ${result.firstPaintBrotliBytes} B in English; at most gzip ` +
      `${result.firstPaintGzipBytes + largest} B, brotli ${result.firstPaintBrotliBytes + largestBrotli} B in another language`,
    ...result.notify.map(
      (file) => `notify/${basename(file.file)}  ${sizes(file)}  (after the first paint)`,
    ),
  ].join('\n');
}

export function formatAdminLine(result: AdminBuildResult): string {
  return result.files.map((file) => `admin/${basename(file.file)}  ${sizes(file)}`).join('\n');
}

export function formatAccountLine(result: AccountBuildResult): string {
  return result.files.map((file) => `account/${basename(file.file)}  ${sizes(file)}`).join('\n');
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
  if (result.firstPaintGzipBytes > EMBED_GZIP_BUDGET_BYTES) {
    console.error(
      `the widget is over its first-paint budget: gzip ${result.firstPaintGzipBytes} B (loader and widget) > ${EMBED_GZIP_BUDGET_BYTES} B`,
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
