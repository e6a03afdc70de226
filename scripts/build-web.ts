/**
 * Builds the embeddable comment widget: bundles web/embed/src/main.tsx with esbuild into
 * build/web/embed.js (IIFE, minified, ES2019) and checks its gzipped size against the
 * first-paint budget. Run directly (`node --import tsx scripts/build-web.ts`) it prints the
 * size and exits non-zero when the budget is exceeded; the server can import buildWeb().
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import type { Plugin } from 'esbuild';

export const EMBED_GZIP_BUDGET_BYTES = 20 * 1024;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface WebBuildOptions {
  /** Directory that receives embed.js; defaults to build/web in the repository. */
  readonly outDir?: string;
}

export interface WebBuildResult {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly withinBudget: boolean;
}

export async function buildWeb(options: WebBuildOptions = {}): Promise<WebBuildResult> {
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

export function formatSizeLine(result: WebBuildResult): string {
  const kilobytes = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return `embed.js  ${kilobytes(result.bytes)}  (gzip ${kilobytes(result.gzipBytes)})`;
}

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
