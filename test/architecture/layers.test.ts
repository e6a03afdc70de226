/**
 * The layers of src/ (eslint.config.js, docs/architecture.md): an import of a higher layer, a
 * route's write straight to the store, a page importing more of src/ than its pure rules, and the
 * domain reaching for I/O all fail `npm run lint`; and the tree as it is has none of them.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const RULE = '@typescript-eslint/no-restricted-imports';

const eslint = new ESLint({
  cwd: repoRoot,
  ruleFilter: ({ ruleId }) => ruleId === RULE,
});

/** The layer rule's messages for this source, linted as though it were the file at `path`. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}${path}` });
  assert.ok(result, `no result for ${path}`);
  return result.messages.map((message) => message.message);
}

async function assertRefused(path: string, code: string, expected: RegExp): Promise<void> {
  const errors = await layerErrors(path, code);
  assert.equal(errors.length, 1, `${path}: ${code} gave ${JSON.stringify(errors)}`);
  assert.match(errors[0] ?? '', expected);
  assert.match(errors[0] ?? '', /docs\/architecture\.md/);
}

async function assertAllowed(path: string, code: string): Promise<void> {
  assert.deepEqual(await layerErrors(path, code), [], `${path}: ${code}`);
}

describe('the layer rule', () => {
  it('refuses an import of a higher layer, saying which way imports go', async () => {
    await assertRefused(
      'src/store/example.ts',
      "import { requireViewer } from '../server/auth.ts';\nexport const x = requireViewer;\n",
      /src\/store imports only the layers below it \(.*src\/credentials.*\), not src\/server/,
    );
    await assertRefused(
      'src/services/example.ts',
      "import type { RouteContext } from '../server/context.ts';\nexport type X = RouteContext;\n",
      /not src\/server/,
    );
    await assertRefused(
      'src/store/moderation/example.ts',
      "export { inScope } from '../../services/moderation-actions.ts';\n",
      /not src\/services/,
    );
  });

  it('refuses an import between directories of the same layer', async () => {
    await assertRefused(
      'src/live/example.ts',
      "import { enqueueJob } from '../jobs/queue.ts';\nexport const x = enqueueJob;\n",
      /not src\/jobs/,
    );
  });

  it('lets a layer import the layers below it and src/config.ts', async () => {
    await assertAllowed(
      'src/services/example.ts',
      [
        "import { hashPassword } from '../credentials/passwords.ts';",
        "import { getUser } from '../store/users.ts';",
        "import { enqueueJob } from '../jobs/queue.ts';",
        "import type { Config } from '../config.ts';",
        'export const x = [hashPassword, getUser, enqueueJob];',
        'export type C = Config;',
      ].join('\n'),
    );
  });

  it('keeps the domain pure: no configuration, no I/O packages', async () => {
    await assertRefused(
      'src/domain/example.ts',
      "import type { Config } from '../config.ts';\nexport type C = Config;\n",
      /not src\/config\.ts/,
    );
    await assertRefused(
      'src/domain/example.ts',
      "import fs from 'node:fs';\nexport const x = fs;\n",
      /src\/domain is pure/,
    );
    await assertAllowed(
      'src/domain/moderation/example.ts',
      "import { randomBytes } from 'node:crypto';\nimport { ParleyError } from '../errors.ts';\nexport const x = [randomBytes, ParleyError];\n",
    );
  });

  it('lets a route read the store but not write to it', async () => {
    const route = 'src/server/routes/example.ts';
    await assertRefused(
      route,
      "import { insertSite } from '../../store/sites.ts';\nexport const x = insertSite;\n",
      /only types and reads; a write goes through a function of src\/services/,
    );
    for (const write of ['updateSite', 'revokeApiKey', 'setSiteBranding', 'findOrInsertStory']) {
      const errors = await layerErrors(
        route,
        `import { ${write} } from '../../store/x.ts';\nexport const x = ${write};\n`,
      );
      assert.equal(errors.length, 1, write);
    }
    await assertAllowed(
      route,
      [
        "import { getSite, listSites, type Site as SiteRow } from '../../store/sites.ts';",
        "import type { Store } from '../../store/db.ts';",
        "import { storyFromRow } from '../../store/rows.ts';",
        "import { queueCounts } from '../../store/moderation/records.ts';",
        'export const x = [getSite, listSites, storyFromRow, queueCounts];',
        'export type S = [SiteRow, Store];',
      ].join('\n'),
    );
  });

  it('lets pages import only src/domain', async () => {
    await assertRefused(
      'web/admin/src/example.ts',
      "import { getUser } from '../../../src/store/users.js';\nexport const x = getUser;\n",
      /Pages import from src\/ only src\/domain/,
    );
    await assertAllowed(
      'web/admin/src/api/example.ts',
      "import { QUEUES } from '../../../../src/domain/vocabulary.js';\nexport const x = QUEUES;\n",
    );
  });

  it('finds no violation in the tree as it is', async () => {
    const results = await eslint.lintFiles(['src', 'web']);
    const violations = results.flatMap((result) =>
      result.messages
        .filter((message) => message.ruleId === RULE)
        .map(
          (message) =>
            `${result.filePath.slice(repoRoot.length)}:${message.line} ${message.message}`,
        ),
    );
    assert.deepEqual(violations, []);
  });
});
