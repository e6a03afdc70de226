/**
 * The per-phase cost of the moderation pipeline, in process: every phase (as
 * src/domain/moderation/phases/index.ts lists them, with the shipped classifier and the external
 * phase wired but off for the site, as in the server) runs over a few thousand varied inputs, and
 * so does the whole pipeline. Each phase sees every input, whatever an earlier phase would have
 * decided; the pipeline stops at the first deciding phase, as in production.
 */
import { performance } from 'node:perf_hooks';
import { renderCommentHtml } from '../src/domain/markdown.ts';
import { moderate } from '../src/domain/moderation/pipeline.ts';
import { loadShippedClassifier } from '../src/classifier/index.ts';
import { moderationPhases } from '../src/domain/moderation/phases/index.ts';
import { readModerationSettings } from '../src/domain/moderation/settings.ts';
import type { ModerationInput, Phase } from '../src/domain/moderation/types.ts';
import { compileWordList } from '../src/domain/moderation/word-list.ts';
import {
  benchModerationSettings,
  benchWordList,
  commentBodies,
  random,
} from './moderation-fixtures.ts';

export interface PhaseFigures {
  name: string;
  /** Median and 99th percentile, in microseconds. */
  p50: number;
  p99: number;
  mean: number;
  /** How many of the inputs the phase decided or flagged (returned a result). */
  hits: number;
}

export interface PhaseReport {
  inputs: number;
  passes: number;
  terms: number;
  compileMs: number;
  rows: PhaseFigures[];
  decisions: Record<string, number>;
}

const quantile = (sorted: Float64Array, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

function summarise(name: string, samples: Float64Array, hits: number): PhaseFigures {
  const sorted = samples.slice().sort();
  let sum = 0;
  for (const value of samples) sum += value;
  return {
    name,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    mean: sum / samples.length,
    hits,
  };
}

/** Times `run` over every input, `passes` times after one warm-up pass; µs per call. */
async function time(
  inputs: readonly ModerationInput[],
  passes: number,
  run: (input: ModerationInput) => unknown,
): Promise<{ samples: Float64Array; hits: number }> {
  for (const input of inputs) await run(input);
  const samples = new Float64Array(inputs.length * passes);
  let hits = 0;
  let k = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const input of inputs) {
      const started = performance.now();
      const result = await run(input);
      samples[k++] = (performance.now() - started) * 1000;
      if (pass === 0 && result !== undefined) hits++;
    }
  }
  return { samples, hits };
}

export async function benchPhases(
  count: number,
  passes: number,
  log: (line: string) => void,
): Promise<PhaseReport> {
  const wordList = benchWordList();
  const settings = readModerationSettings(benchModerationSettings(wordList));
  let started = performance.now();
  const words = compileWordList(settings.wordList);
  const compileMs = performance.now() - started;
  log(`[phases] compiled ${words.size} terms in ${compileMs.toFixed(1)} ms`);

  const next = random(11);
  const body = commentBodies(wordList, 13);
  const inputs: ModerationInput[] = [];
  for (let i = 0; i < count; i++) {
    const text = body(i);
    inputs.push({
      body: text,
      html: renderCommentHtml(text),
      settings,
      story: { closed: false, premoderated: false, openedAt: new Date().toISOString() },
      author: {
        role: next() < 0.02 ? 'staff' : 'commenter',
        banned: false,
        suspendedUntil: null,
        alwaysPremoderate: next() < 0.01,
        unacknowledgedWarning: null,
        approvedCount: Math.floor(next() * 6),
      },
      words,
      context: { siteId: 'site', storyId: 'story', commentId: null, authorId: `user${i % 500}` },
      history: {
        sameBodyWithinWindow: next() < 0.01 ? 1 : 0,
        postsLastMinute: Math.floor(next() * 8),
      },
      now: new Date(),
    });
  }
  log(`[phases] ${count} inputs ready; timing each phase over ${passes} passes`);

  // As the server wires it: the external phase is present, and off for a site without a service.
  const phases: Phase[] = moderationPhases({
    classifier: loadShippedClassifier(),
    external: {
      review: () => Promise.reject(new Error('the bench site has no external service')),
    },
  });
  const rows: PhaseFigures[] = [];
  for (const phase of phases) {
    const { samples, hits } = await time(inputs, passes, (input) => phase(input));
    const figures = summarise(phase.name, samples, hits);
    rows.push(figures);
    log(
      `[phases]   ${phase.name}: p50 ${figures.p50.toFixed(1)} µs, p99 ${figures.p99.toFixed(1)} µs`,
    );
  }
  const decisions: Record<string, number> = {};
  for (const input of inputs) {
    const outcome = await moderate(phases, input);
    const key = outcome.refuse ? `refused (${outcome.refuse.code})` : outcome.decision;
    decisions[key] = (decisions[key] ?? 0) + 1;
  }
  started = performance.now();
  const whole = await time(inputs, passes, (input) => moderate(phases, input));
  rows.push(summarise('whole pipeline', whole.samples, whole.hits));
  log(
    `[phases]   whole pipeline: p50 ${rows.at(-1)?.p50.toFixed(1)} µs, p99 ${rows.at(-1)?.p99.toFixed(1)} µs`,
  );
  // Not a phase: the HTML every phase reads links from, rendered once per comment before the pipeline.
  const render = await time(inputs, passes, (input) => renderCommentHtml(input.body));
  rows.push(summarise('(before the pipeline) Markdown → HTML', render.samples, count));
  return { inputs: count, passes, terms: words.size, compileMs, rows, decisions };
}
