/**
 * axe-core (Deque's accessibility engine, the npm package) run in a page of a browser test: its
 * source is evaluated in the page (through the DevTools protocol, so a page's Content-Security-
 * Policy does not stop it) and axe.run checks the document or a part of it, open shadow roots
 * included (axe walks them by itself), against WCAG 2.2 A and AA and axe's best practices.
 * Violations come back as lines a person can read: rule, impact, the elements and what is wrong.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * The violations axe finds in `page`, within `include` (CSS selectors; a selector list inside an
 * array reaches into a shadow root) or the whole document.
 */
export async function axeViolations(page: Page, include?: string[]): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(include ? { include: include.map((s) => [s]) } : document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    })) as { violations: AxeViolation[] };
    return result.violations;
  }, include);
  return violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help}\n` +
      violation.nodes
        .map(
          (node) =>
            `  ${JSON.stringify(node.target)}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ')}`,
        )
        .join('\n'),
  );
}
