/**
 * Builds the browser bundles with esbuild: the embeddable comment widget (web/embed/src/main.tsx
 * into build/web/embed.js: IIFE, minified, ES2019, its gzipped size checked against the
 * first-paint budget) and the moderation dashboard (web/admin/src/main.tsx into build/web/admin.js
 * and admin.css, minified, no budget). Run directly (`node --import tsx scripts/build-web.ts`) it
 * prints the sizes and exits non-zero when the widget is over budget; the server can import
 * buildWeb().
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import type { Plugin } from 'esbuild';

export const EMBED_GZIP_BUDGET_BYTES = 20 * 1024;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface WebBuildOptions {
  /** Directory that receives embed.js, admin.js and admin.css; defaults to build/web. */
  readonly outDir?: string;
}

export interface WebBuildResult {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly withinBudget: boolean;
  /** The moderation dashboard's files. */
  readonly admin: AdminBuildResult;
}

export interface AdminBuildResult {
  readonly files: readonly { readonly file: string; readonly bytes: number }[];
}

/** Builds both bundles; the result describes embed.js (with its budget) and the dashboard. */
export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuildResult> {
  const [embed, admin] = await Promise.all([buildEmbed(options), buildAdmin(options)]);
  return { ...embed, admin };
}

export async function buildEmbed(
  options: WebBuildOptions = {},
): Promise<Omit<WebBuildResult, 'admin'>> {
  const outDir = options.outDir ?? join(repoRoot, 'build', 'web');
  const file = join(outDir, 'embed.js');
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
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [minifiedCssAsText],
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
    withinBudget: gzipBytes <= EMBED_GZIP_BUDGET_BYTES,
  };
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

export function formatSizeLine(result: Omit<WebBuildResult, 'admin'>): string {
  return `embed.js  ${kilobytes(result.bytes)}  (gzip ${kilobytes(result.gzipBytes)})`;
}

export function formatAdminLine(result: AdminBuildResult): string {
  return result.files.map(({ file, bytes }) => `${basename(file)}  ${kilobytes(bytes)}`).join('\n');
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
  console.log(formatSizeLine(result));
  console.log(formatAdminLine(result.admin));
  if (!result.withinBudget) {
    console.error(
      `embed.js is over its first-paint budget: gzip ${result.gzipBytes} B > ${EMBED_GZIP_BUDGET_BYTES} B`,
    );
    process.exitCode = 1;
  }
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (runDirectly) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
