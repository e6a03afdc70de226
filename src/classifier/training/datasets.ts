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

function targets(values: Partial<Record<ClassifierLabel, Target>>): Target[] {
  return CLASSIFIER_LABELS.map((name) => (name in values ? (values[name] ?? null) : 0));
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
    set('OffensiveHebrew test', 'he', 'abuse', hebrew, null, 'none published here', 0.7),
    set('YouTube 05-Shakira', 'en', 'spam', youtube, 0.95, 'quick trial, linear', 0.95),
  ];
}

export const LABEL_INDEX = {
  toxicity: label('toxicity'),
  identity_attack: label('identity_attack'),
  threat: label('threat'),
  spam: label('spam'),
} as const;
