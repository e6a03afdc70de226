/**
 * Readers for the labelled data beside the project (../shared/datasets/moderation, or
 * PARLEY_DATASETS). Training sets map their labels onto the classifier's four outputs; evaluation
 * sets give one yes/no label per comment (offensive, or spam). Which file may be used for what
 * follows the data README: only sets marked "train" feed the shipped weights.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLASSIFIER_LABELS } from '../../domain/moderation/phases/classifier.ts';
import type { ClassifierLabel } from '../../domain/moderation/phases/classifier.ts';
import { hashString } from '../hash.ts';
import { parseTable } from './csv.ts';

/** 1 yes, 0 no, null unknown (the label does not train on this example). */
export type Target = 0 | 1 | null;

export interface TrainingExample {
  text: string;
  /** One target per label, in the order of CLASSIFIER_LABELS. */
  targets: Target[];
  source: string;
}

export interface EvalExample {
  text: string;
  positive: boolean;
}

export interface EvalSet {
  name: string;
  language: string;
  /** Which score decides: abuse is max(toxicity, identity_attack, threat). */
  kind: 'abuse' | 'spam';
  examples: EvalExample[];
  /** Published or earlier figure, macro-F1 unless `referenceNote` says otherwise. */
  reference: number | null;
  referenceNote: string;
  target: number | null;
}

export class DatasetsMissingError extends Error {}

/** The data folder: PARLEY_DATASETS, else ../shared/datasets/moderation beside the repository. */
export function resolveDatasetsDir(repoRoot: string): string {
  const fromEnv = process.env.PARLEY_DATASETS;
  return fromEnv ? resolve(fromEnv) : resolve(repoRoot, '../shared/datasets/moderation');
}

function read(dir: string, file: string): string {
  const path = join(dir, file);
  if (!existsSync(path)) throw new DatasetsMissingError(`Missing data file ${path}`);
  return readFileSync(path, 'utf8');
}

const label = (name: ClassifierLabel) => CLASSIFIER_LABELS.indexOf(name);

/**
 * One target per label. What a set does not say is unknown (null) for severe_toxicity, insult and
 * profanity, and "no" for identity_attack, threat and spam (as the sets' own labels imply); a
 * comment labelled not toxic is not severely toxic, insulting or profane either.
 */
function targets(values: Partial<Record<ClassifierLabel, Target>>): Target[] {
  const clean = values.toxicity === 0;
  return CLASSIFIER_LABELS.map((name) => {
    if (name in values) return values[name] ?? null;
    if (name === 'severe_toxicity' || name === 'insult' || name === 'profanity') {
      return clean ? 0 : null;
    }
    return 0;
  });
}

/**
 * The news comments with typed toxic spans (Civil Comments) kept out of training for good: the
 * span agreement of explanations is measured on them. One in ten, by comment id.
 */
export function isSpanEvalComment(commentId: string): boolean {
  return hashString(`toxic-spans:${commentId}`) % 10 === 0;
}

export interface SpanComment {
  id: string;
  text: string;
  /** Per rater who marked spans: the character offsets [start, end) of each, with its type. */
  raters: { toxic: boolean; spans: { type: string; start: number; end: number }[] }[];
}

/** The toxic-spans comments with every rater's annotation and typed spans. */
export function loadSpanComments(dir: string): SpanComment[] {
  const byAnnotation = new Map<string, { type: string; start: number; end: number }[]>();
  for (const row of parseTable(read(dir, 'toxic-spans-en/spans.csv'))) {
    const list = byAnnotation.get(row.annotation ?? '') ?? [];
    list.push({ type: row.type ?? '', start: Number(row.start), end: Number(row.end) });
    byAnnotation.set(row.annotation ?? '', list);
  }
  const raters = new Map<string, SpanComment['raters']>();
  for (const row of parseTable(read(dir, 'toxic-spans-en/annotations.csv'))) {
    const list = raters.get(row.comment_id ?? '') ?? [];
    list.push({
      toxic: row['not toxic'] !== 'True',
      spans: byAnnotation.get(row.annotation ?? '') ?? [],
    });
    raters.set(row.comment_id ?? '', list);
  }
  return parseTable(read(dir, 'toxic-spans-en/comments.csv')).map((row) => ({
    id: row.comment_id ?? '',
    text: row.comment_text ?? '',
    raters: raters.get(row.comment_id ?? '') ?? [],
  }));
}

/** Span types of the news-comment set, and the label each one marks. */
const SPAN_LABELS: Record<string, ClassifierLabel> = {
  Insult: 'insult',
  Profane: 'profanity',
  'Identity based Attack': 'identity_attack',
  Threat: 'threat',
};

/**
 * A news comment's targets from its raters: toxic when most raters say so; each typed label yes
 * when at least half the raters marked a span of that type, no when none did, unknown between.
 */
function spanTargets(comment: SpanComment): Target[] | null {
  const n = comment.raters.length;
  if (n === 0) return null;
  const toxic = comment.raters.filter((r) => r.toxic).length / n;
  if (toxic < 0.5) return targets({ toxicity: 0, identity_attack: 0, threat: 0 });
  const values: Partial<Record<ClassifierLabel, Target>> = { toxicity: 1 };
  for (const [type, label] of Object.entries(SPAN_LABELS)) {
    const share = comment.raters.filter((r) => r.spans.some((s) => s.type === type)).length / n;
    values[label] = share >= 0.5 ? 1 : share === 0 ? 0 : null;
  }
  return targets(values);
}

export const YOUTUBE_TRAIN = [
  'Youtube01-Psy.csv',
  'Youtube02-KatyPerry.csv',
  'Youtube03-LMFAO.csv',
  'Youtube04-Eminem.csv',
];

/** Every example of the sets marked train, with labels mapped onto the four outputs. */
export function loadTrainingSets(dir: string): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const row of parseTable(read(dir, 'davidson-en/labeled_data.csv'))) {
    const cls = row.class;
    out.push({
      text: row.tweet ?? '',
      source: 'davidson-en',
      targets: targets({
        toxicity: cls === '2' ? 0 : 1,
        identity_attack: cls === '0' ? 1 : 0,
      }),
    });
  }
  for (const split of ['train.csv', 'dev.csv']) {
    for (const row of parseTable(read(dir, `cold-zh/${split}`))) {
      const offensive = row.label === '1' ? 1 : 0;
      // COLD collects remarks on race, region and gender: its offensive class is aimed at groups.
      out.push({
        text: row.TEXT ?? '',
        source: 'cold-zh',
        targets: targets({ toxicity: offensive, identity_attack: offensive }),
      });
    }
  }
  for (const line of read(dir, 'osact4-ar/train.txt').split('\n')) {
    const [text, off, hs] = line.split('\t');
    if (!text || !off) continue;
    out.push({
      text,
      source: 'osact4-ar',
      targets: targets({ toxicity: off === 'OFF' ? 1 : 0, identity_attack: hs === 'HS' ? 1 : 0 }),
    });
  }
  for (const language of ['en', 'fr', 'ar']) {
    for (const row of parseTable(read(dir, `mlma/${language}_dataset.csv`))) {
      const sentiments = (row.sentiment ?? '').split('_');
      const hostile = !(sentiments.length === 1 && sentiments[0] === 'normal');
      out.push({
        text: row.tweet ?? '',
        source: `mlma-${language}`,
        targets: targets({
          toxicity: hostile ? 1 : 0,
          identity_attack: sentiments.includes('hateful') ? 1 : 0,
        }),
      });
    }
  }
  for (const comment of loadSpanComments(dir)) {
    if (isSpanEvalComment(comment.id)) continue;
    const t = spanTargets(comment);
    if (t) out.push({ text: comment.text, source: 'toxic-spans-en', targets: t });
  }
  for (const line of read(dir, 'germeval2018-de/germeval2018.training.txt').split('\n')) {
    const [text, coarse, fine] = line.split('\t');
    if (!text || !coarse) continue;
    const offense = coarse === 'OFFENSE' ? 1 : 0;
    out.push({
      text,
      source: 'germeval-de',
      targets: targets({
        toxicity: offense,
        // ABUSE is aimed at groups or people for what they are, or mixed: not told apart here.
        identity_attack: offense === 1 ? null : 0,
        insult: offense === 1 ? (fine === 'INSULT' ? 1 : null) : 0,
        profanity: offense === 1 ? (fine === 'PROFANITY' ? 1 : null) : 0,
      }),
    });
  }
  for (const row of parseTable(read(dir, 'told-br-pt/ToLD-BR.csv'))) {
    const votes = (name: string) => Number(row[name] ?? 0);
    const group = ['homophobia', 'racism', 'misogyny', 'xenophobia'].map(votes);
    const all = [...group, votes('obscene'), votes('insult')];
    // Three annotators per tweet: toxic when one of them saw anything (the set's own binary
    // label); a typed label yes on two votes, no on none.
    const typed = (v: number): Target => (v >= 2 ? 1 : v === 0 ? 0 : null);
    out.push({
      text: row.text ?? '',
      source: 'told-br-pt',
      targets: targets({
        toxicity: all.some((v) => v > 0) ? 1 : 0,
        identity_attack: typed(Math.max(...group)),
        insult: typed(votes('insult')),
        profanity: typed(votes('obscene')),
      }),
    });
  }
  for (const row of parseTable(read(dir, 'swsr-zh/SexComment.csv'))) {
    // Sexist or not; the commenters' gender and location columns are never read.
    const sexist = row.label === '1' ? 1 : 0;
    out.push({
      text: row.comment_text ?? '',
      source: 'swsr-zh',
      targets: targets({ toxicity: sexist, identity_attack: sexist }),
    });
  }
  for (const row of parseTable(read(dir, 'stormfront-en/sentences.csv'))) {
    if (row.label !== 'hate' && row.label !== 'noHate') continue;
    const hate = row.label === 'hate' ? 1 : 0;
    out.push({
      text: row.text ?? '',
      source: 'stormfront-en',
      // noHate sentences of a hate forum are not all civil: toxic unknown, not an identity attack.
      targets: targets({ toxicity: hate === 1 ? 1 : null, identity_attack: hate }),
    });
  }
  for (const line of read(dir, 'hebrew-sentiment-he/token_train.tsv').split('\n')) {
    const [text, sentiment] = line.split('\t');
    if (!text || sentiment === undefined) continue;
    // Ordinary comments, not abuse labels: positive and neutral ones are clean; negative ones
    // are not an identity attack or a threat, and say nothing of toxicity.
    const negative = sentiment.trim() === '1';
    out.push({
      text,
      source: 'hebrew-sentiment-he',
      targets: targets(negative ? { toxicity: null } : { toxicity: 0 }),
    });
  }
  for (const file of YOUTUBE_TRAIN) {
    for (const row of parseTable(read(dir, `youtube-spam/${file}`))) {
      out.push({
        text: row.CONTENT ?? '',
        source: 'youtube-spam',
        targets: targets({ spam: row.CLASS === '1' ? 1 : 0 }),
      });
    }
  }
  return out.filter((example) => example.text.trim() !== '');
}

/** The evaluation splits named in the data README; never used for training. */
export function loadEvalSets(dir: string): EvalSet[] {
  const olidLabels = new Map(
    read(dir, 'olid-en/labels-levela.csv')
      .split('\n')
      .map((line) => line.trim().split(',') as [string, string]),
  );
  const olid = parseTable(read(dir, 'olid-en/testset-levela.tsv'), '\t').map((row) => ({
    text: row.tweet ?? '',
    positive: olidLabels.get(row.id ?? '') === 'OFF',
  }));
  const osact = read(dir, 'osact4-ar/dev.txt')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([text, off]) => text && off)
    .map(([text, off]) => ({ text: text ?? '', positive: off === 'OFF' }));
  const cold = parseTable(read(dir, 'cold-zh/test.csv')).map((row) => ({
    text: row.TEXT ?? '',
    positive: row.label === '1',
  }));
  const lhsab = parseTable(read(dir, 'lhsab-ar/L-HSAB.tsv'), '\t').map((row) => ({
    text: row.Tweet ?? '',
    positive: row.Class === 'abusive' || row.Class === 'hate',
  }));
  const hebrew = parseTable(read(dir, 'offensive-hebrew/test.csv')).map((row) => ({
    text: row.text ?? '',
    positive: row.label === 'Negative',
  }));
  const germeval = read(dir, 'germeval2018-de/germeval2018.test.txt')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([text, coarse]) => text && coarse)
    .map(([text, coarse]) => ({ text: text ?? '', positive: coarse === 'OFFENSE' }));
  const youtube = parseTable(read(dir, 'youtube-spam/Youtube05-Shakira.csv')).map((row) => ({
    text: row.CONTENT ?? '',
    positive: row.CLASS === '1',
  }));
  const set = (
    name: string,
    language: string,
    kind: EvalSet['kind'],
    examples: EvalExample[],
    reference: number | null,
    referenceNote: string,
    target: number | null,
  ): EvalSet => ({ name, language, kind, examples, reference, referenceNote, target });
  return [
    set('OLID test', 'en', 'abuse', olid, 0.73, 'linear n-grams trained on OLID; best 0.829', 0.75),
    set('OSACT4 dev', 'ar', 'abuse', osact, 0.87, 'linear n-grams; best 0.90', 0.88),
    set('COLD test', 'zh', 'abuse', cold, 0.77, 'linear n-grams', 0.8),
    set('L-HSAB', 'ar', 'abuse', lhsab, 0.896, 'naive Bayes accuracy, 2-class, in-domain', null),
    set('GermEval 2018 test', 'de', 'abuse', germeval, null, 'none published here', 0.72),
    set('OffensiveHebrew test', 'he', 'abuse', hebrew, null, 'none published here', 0.7),
    set('YouTube 05-Shakira', 'en', 'spam', youtube, 0.95, 'quick trial, linear', 0.95),
  ];
}

export const LABEL_INDEX = Object.fromEntries(
  CLASSIFIER_LABELS.map((name) => [name, label(name)]),
) as Record<ClassifierLabel, number>;
