/**
 * Language identification, shipped with the project: the writing system decides Arabic, Hebrew,
 * Chinese, Japanese, Korean and Russian; Latin-script text is told apart as English, French,
 * Spanish, German or Portuguese by a small naive Bayes model over character trigrams and words,
 * trained by `npm run train:classifier` from sample text written for the project
 * (models/langid/*.txt) and stored in the model file's header. Models trained before German and
 * Portuguese were added (en/fr/es only) load and work as before.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Latin-script languages the samples in models/langid cover, one `<lang>.txt` each. */
export const LANGID_LANGUAGES = ['en', 'fr', 'es', 'de', 'pt'] as const;

/** The sample sentences of each of LANGID_LANGUAGES: the non-empty lines of `<dir>/<lang>.txt`. */
export function readLanguageSamples(dir: string): Record<string, string[]> {
  return Object.fromEntries(
    LANGID_LANGUAGES.map((language) => [
      language,
      readFileSync(join(dir, `${language}.txt`), 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.trim() !== ''),
    ]),
  );
}

/** Trigram and word log-probabilities per language; what the model file stores. */
export interface LatinLanguageModel {
  languages: string[];
  /** Feature → log-probability in each language, in the order of `languages`. */
  features: Record<string, number[]>;
  /** Log-probability of a feature not in `features`, per language. */
  unseen: number[];
}

type Script = 'ar' | 'he' | 'zh' | 'ja' | 'ko' | 'ru' | 'latin' | 'und';

function scriptOf(code: number): Script | null {
  if ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) return 'latin';
  if (code < 0xc0) return null;
  if (code <= 0x24f) return code === 0xd7 || code === 0xf7 ? null : 'latin';
  if (code >= 0x0590 && code <= 0x05ff) return 'he';
  if (code >= 0xfb1d && code <= 0xfb4f) return 'he';
  if (code >= 0x0600 && code <= 0x06ff) return 'ar';
  if ((code >= 0x0750 && code <= 0x077f) || (code >= 0x08a0 && code <= 0x08ff)) return 'ar';
  if ((code >= 0xfb50 && code <= 0xfdff) || (code >= 0xfe70 && code <= 0xfeff)) return 'ar';
  if (code >= 0x0400 && code <= 0x04ff) return 'ru';
  if (code >= 0x3040 && code <= 0x30ff) return 'ja';
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) return 'zh';
  if (code >= 0xf900 && code <= 0xfaff) return 'zh';
  if ((code >= 0xac00 && code <= 0xd7af) || (code >= 0x1100 && code <= 0x11ff)) return 'ko';
  return null;
}

/** The writing system most of the letters of `text` belong to ('und' without letters). */
export function detectScript(text: string): Script {
  const counts: Partial<Record<Script, number>> = {};
  let best: Script = 'und';
  let bestCount = 0;
  for (let i = 0; i < text.length; i++) {
    const script = scriptOf(text.charCodeAt(i));
    if (script === null) continue;
    const count = (counts[script] ?? 0) + 1;
    counts[script] = count;
    if (count > bestCount) {
      best = script;
      bestCount = count;
    }
  }
  // Japanese mixes kanji with kana: any real share of kana makes Han text Japanese.
  if (best === 'zh' && (counts.ja ?? 0) * 10 >= bestCount) return 'ja';
  return best;
}

// ß (U+00DF) sits just below à: without it German words broke apart at it.
const LATIN_WORD = /[a-zß-ÿœæ']+/g;
const MAX_LATIN_CHARS = 400;

/** The features the Latin model counts: words, and trigrams of each word padded with spaces. */
export function latinFeatures(text: string): string[] {
  const out: string[] = [];
  const lowered = text.slice(0, MAX_LATIN_CHARS).toLowerCase();
  for (const [word] of lowered.matchAll(LATIN_WORD)) {
    out.push(`w:${word}`);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  }
  return out;
}

/**
 * Trains the Latin model: feature counts per language, add-one smoothed; only features seen at
 * least twice overall are kept, so the table stays small.
 */
export function trainLatinLanguageModel(samples: Record<string, string[]>): LatinLanguageModel {
  const languages = Object.keys(samples).sort();
  const counts = new Map<string, number[]>();
  const totals = languages.map(() => 0);
  languages.forEach((language, l) => {
    for (const text of samples[language] ?? []) {
      for (const feature of latinFeatures(text)) {
        const row = counts.get(feature) ?? languages.map(() => 0);
        row[l] = (row[l] ?? 0) + 1;
        counts.set(feature, row);
        totals[l] = (totals[l] ?? 0) + 1;
      }
    }
  });
  const kept = [...counts.entries()].filter(([, row]) => row.reduce((a, b) => a + b, 0) >= 2);
  const vocabulary = kept.length + 1;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const features: Record<string, number[]> = {};
  for (const [feature, row] of kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    features[feature] = row.map((c, l) =>
      round(Math.log((c + 1) / ((totals[l] ?? 0) + vocabulary))),
    );
  }
  const unseen = totals.map((total) => round(Math.log(1 / (total + vocabulary))));
  return { languages, features, unseen };
}

/** Identifies the language of a comment: a BCP 47 primary tag, or 'und'. */
export class LanguageIdentifier {
  private readonly model: LatinLanguageModel;
  private readonly table: Map<string, number[]>;

  constructor(model: LatinLanguageModel) {
    this.model = model;
    this.table = new Map(Object.entries(model.features));
  }

  identify(text: string): string {
    const script = detectScript(text);
    return script === 'latin' ? this.identifyLatin(text) : script;
  }

  /**
   * The likeliest language among `allowed` (a Perspective request's `languages`): the writing
   * system's language when it is allowed, else the likeliest of the allowed Latin-script languages
   * the model knows; `identify(text)` when the model knows none of them.
   */
  identifyAmong(text: string, allowed: readonly string[]): string {
    const script = detectScript(text);
    if (script !== 'latin' && allowed.includes(script)) return script;
    const { languages } = this.model;
    const candidates = allowed.flatMap((language) => {
      const index = languages.indexOf(language);
      return index >= 0 ? [index] : [];
    });
    if (candidates.length === 0) return this.identify(text);
    const english = candidates.find((l) => languages[l] === 'en');
    return this.likeliest(text, candidates, languages[english ?? candidates[0] ?? 0] ?? 'en');
  }

  /** The likeliest of the model's Latin-script languages ('en' when nothing is known). */
  identifyLatin(text: string): string {
    const all = this.model.languages.map((_, l) => l);
    return this.likeliest(text, all, 'en');
  }

  /**
   * The best-scoring of `candidates` (indices into the model's languages), `fallback` when not one
   * feature of the text is known. Ties go to 'en', then to the earlier candidate, so a model
   * listing only en/fr/es decides exactly as before German and Portuguese came.
   */
  private likeliest(text: string, candidates: readonly number[], fallback: string): string {
    const { languages, unseen } = this.model;
    const scores = languages.map(() => 0);
    let known = 0;
    for (const feature of latinFeatures(text)) {
      const row = this.table.get(feature);
      if (row === undefined) continue;
      known++;
      for (let l = 0; l < scores.length; l++)
        scores[l] = (scores[l] ?? 0) + (row[l] ?? unseen[l] ?? 0);
    }
    if (known === 0) return fallback;
    let best = candidates.find((l) => languages[l] === 'en') ?? candidates[0] ?? 0;
    for (const l of candidates) if ((scores[l] ?? 0) > (scores[best] ?? 0)) best = l;
    return languages[best] ?? fallback;
  }
}
