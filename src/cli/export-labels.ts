/**
 * `parley classifier export-labels`: moderators' decisions as JSON lines, one example per comment
 * (its last standing decision), to a file or standard output, with a progress line on stderr.
 */
import fs from 'node:fs';
import type { Store } from '../store/db.ts';
import { labelledExamples, type LabelledExample } from '../store/labels.ts';

export async function exportLabels(
  store: Store,
  options: {
    out?: string | undefined;
    siteId?: string | undefined;
    since?: Date | undefined;
    scoredOnly: boolean;
  },
): Promise<{ examples: number; labels: string }> {
  const latest = new Map<string, LabelledExample>();
  let read = 0;
  for await (const page of labelledExamples(store.db, {
    scoredOnly: options.scoredOnly,
    ...(options.siteId && { siteId: options.siteId }),
    ...(options.since && { since: options.since }),
  })) {
    for (const example of page) {
      latest.delete(example.commentId); // keep time order: re-insert at the end
      latest.set(example.commentId, example);
    }
    read += page.length;
    process.stderr.write(`\rread ${read} decisions, ${latest.size} comments`);
  }
  if (read > 0) process.stderr.write('\n');
  const lines = [...latest.values()].map((example) => JSON.stringify(example)).join('\n');
  const text = lines ? `${lines}\n` : '';
  if (options.out) fs.writeFileSync(options.out, text);
  else process.stdout.write(text);
  const byLabel = new Map<string, number>();
  for (const example of latest.values()) {
    byLabel.set(example.label, (byLabel.get(example.label) ?? 0) + 1);
  }
  const labels = [...byLabel].map(([label, n]) => `${label} ${n}`).join(', ') || 'none';
  return { examples: latest.size, labels };
}
