/**
 * Builds the server into one ES module, build/server/parley.mjs, which `bin/parley.js` runs when
 * it is newer than every source (`npm run build`; `npm start` and `npm test` build first), and
 * beside it build/server/import-worker.mjs, the module an import's worker threads run.
 *
 * Running the TypeScript sources through tsx costs a production process about 37 MB of resident
 * memory for good: Node runs tsx's module hooks on a thread of their own, with its own V8 heap, and
 * keeps the transformed sources. The bundle is the same code, transformed once by esbuild (the
 * types stripped, nothing minified, names kept), with the npm packages left as imports.
 *
 * Paths: the bundle sits two directories below the repository's root, as src/server and
 * src/classifier do, so the paths those modules make from `import.meta.url` (the root, the shipped
 * model) come out the same. The web build (scripts/build-web.ts) is not bundled: it finds the root
 * from its own place, and the server imports it only when the browser bundles are stale. They
 * never are under the bundle: it is built after them (buildServer brings them up to date first),
 * and bin/parley.js runs it only while it is newer than web/ and scripts/ as well.
 *
 * Stack traces name the bundle's lines; `NODE_OPTIONS=--enable-source-maps` maps them back to the
 * sources (parley.mjs.map, about 8 MB more memory).
 *
 * Run directly (`node --import tsx scripts/build-server.ts`) it prints the bundle's size.
 */
import { rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { ensureWebBuilt } from '../src/cli/web.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SERVER_BUNDLE = join(repoRoot, 'build/server/parley.mjs');

/** Leaves the build scripts out of the bundle (see above): imported from their own place. */
const buildScriptsOutside: Plugin = {
  name: 'build-scripts-outside',
  setup(b) {
    b.onResolve({ filter: /\/scripts\/build-[a-z]+\.ts$/ }, (args) => ({
      path: relative(dirname(SERVER_BUNDLE), resolve(args.resolveDir, args.path)),
      external: true,
    }));
  },
};

export async function buildServer(): Promise<{ file: string; bytes: number; inputs: number }> {
  await ensureWebBuilt();
  const result = await build({
    // The import's worker threads run a module of their own (src/import/converter.ts).
    entryPoints: {
      parley: join(repoRoot, 'src/cli/main.ts'),
      'import-worker': join(repoRoot, 'src/import/convert-worker.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [buildScriptsOutside],
    outdir: dirname(SERVER_BUNDLE),
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  await mkdir(dirname(SERVER_BUNDLE), { recursive: true });
  // Written aside and renamed: processes starting meanwhile read the old bundle or the new one,
  // never half of one. The map goes first, so a new bundle never points at an old map.
  const isMap = (file: { path: string }) => Number(file.path.endsWith('.map'));
  const files = [...result.outputFiles].sort((a, b) => isMap(b) - isMap(a));
  for (const file of files) {
    const aside = `${file.path}.${process.pid}.tmp`;
    await writeFile(aside, file.contents);
    await rename(aside, file.path);
  }
  const bundle = result.outputFiles.find((file) => file.path === SERVER_BUNDLE);
  return {
    file: SERVER_BUNDLE,
    bytes: bundle?.contents.length ?? 0,
    inputs: Object.keys(result.metafile.inputs).length,
  };
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (runDirectly) {
  buildServer()
    .then(({ file, bytes, inputs }) => {
      console.log(
        `${relative(repoRoot, file)}: ${(bytes / 1024).toFixed(1)} KB from ${inputs} modules`,
      );
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
