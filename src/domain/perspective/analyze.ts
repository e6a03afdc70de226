/**
 * Google Perspective API's `comments:analyze` request and response, answered by Parley's own
 * classifier: what is accepted, how Parley's scores become Perspective's attributes, and the
 * errors in Perspective's shape, so that an existing client works by changing its base URL.
 *
 * Each of Perspective's production attributes is a head of Parley's model, trained for itself;
 * SPAM is Parley's own. Span scores (`spanAnnotations`) are the words that drove each attribute,
 * when the classifier can say (the shipped one can): each word's score is how far the
 * attribute's probability falls without it. A classifier that cannot explain gets Perspective's
 * own form, a score per sentence.
 */
import type {
  ClassifierLabel,
  ClassifierScores,
  WordWeight,
} from '../moderation/phases/classifier.ts';

export const ATTRIBUTE_LABELS = {
  TOXICITY: 'toxicity',
  SEVERE_TOXICITY: 'severe_toxicity',
  IDENTITY_ATTACK: 'identity_attack',
  INSULT: 'insult',
  PROFANITY: 'profanity',
  THREAT: 'threat',
  SPAM: 'spam',
} as const satisfies Record<string, ClassifierLabel>;
export const ATTRIBUTES = ATTRIBUTE_LABELS;
export type Attribute = keyof typeof ATTRIBUTES;

export const LANGUAGES = ['en', 'ar', 'he', 'zh', 'fr', 'es', 'de', 'pt'] as const;

/** Longest comment accepted, in UTF-16 code units (Perspective's own limit is 20 KB). */
export const MAX_TEXT_LENGTH = 20_480;

/** An error as Google APIs send it: `{ error: { code, message, status, details } }`. */
export class PerspectiveError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly status: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
    this.name = 'PerspectiveError';
  }

  toJSON() {
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        status: this.status,
        ...(this.details.length > 0 && { details: this.details }),
      },
    };
  }
}

const invalid = (message: string, details: unknown[] = []) =>
  new PerspectiveError(400, 'INVALID_ARGUMENT', message, details);

const errorDetail = (errorType: string, extra: Record<string, unknown> = {}) => ({
  '@type': 'type.googleapis.com/google.commentanalyzer.v1alpha1.Error',
  errorType,
  ...extra,
});

export interface AnalyzeRequest {
  text: string;
  attributes: { name: Attribute; threshold: number | null }[];
  /** The languages the caller says the text is in (normalised codes), or null: detect. */
  languages: string[] | null;
  spanAnnotations: boolean;
  doNotStore: boolean;
  clientToken: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** "en-US" → "en", "zh-Hans" → "zh", and Hebrew's old code "iw" → "he". */
export function normaliseLanguage(code: string): string {
  const primary = code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return primary === 'iw' ? 'he' : primary;
}

/** Checks a request body the way Perspective does, answering its errors for what it refuses. */
export function parseAnalyzeRequest(body: unknown): AnalyzeRequest {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  const comment = body.comment;
  if (!isRecord(comment) || typeof comment.text !== 'string') {
    throw invalid('comment.text is required.');
  }
  if (comment.type !== undefined && comment.type !== 'PLAIN_TEXT') {
    throw invalid(`Unsupported comment.type "${String(comment.type)}": only PLAIN_TEXT.`);
  }
  const text = comment.text;
  if (text.trim() === '') throw invalid('Comment must be non-empty.');
  if (text.length > MAX_TEXT_LENGTH) {
    throw invalid(`Comment text too long: at most ${MAX_TEXT_LENGTH} characters.`, [
      errorDetail('COMMENT_TOO_LONG'),
    ]);
  }

  const requested = body.requestedAttributes;
  if (!isRecord(requested) || Object.keys(requested).length === 0) {
    throw invalid('requestedAttributes must name at least one attribute.');
  }
  const attributes: AnalyzeRequest['attributes'] = [];
  for (const [name, options] of Object.entries(requested)) {
    if (!Object.hasOwn(ATTRIBUTES, name)) {
      throw invalid(`Unknown requested attribute: ${name}`, [
        errorDetail('UNKNOWN_ATTRIBUTE', { unknownAttribute: name }),
      ]);
    }
    if (options !== null && options !== undefined && !isRecord(options)) {
      throw invalid(`requestedAttributes.${name} must be an object.`);
    }
    const scoreType = options?.scoreType;
    if (scoreType !== undefined && scoreType !== 'PROBABILITY') {
      throw invalid(`Unsupported scoreType "${String(scoreType)}": only PROBABILITY.`);
    }
    const threshold = options?.scoreThreshold;
    if (
      threshold !== undefined &&
      (typeof threshold !== 'number' || threshold < 0 || threshold > 1)
    ) {
      throw invalid(`requestedAttributes.${name}.scoreThreshold must be between 0 and 1.`);
    }
    attributes.push({ name: name as Attribute, threshold: threshold ?? null });
  }

  let languages: string[] | null = null;
  if (body.languages !== undefined) {
    if (!Array.isArray(body.languages) || !body.languages.every((l) => typeof l === 'string')) {
      throw invalid('languages must be a list of language codes.');
    }
    const codes = (body.languages as string[]).map(normaliseLanguage).filter(Boolean);
    if (codes.length > 0) {
      languages = [...new Set(codes)];
      const unsupported = languages.filter(
        (code) => !(LANGUAGES as readonly string[]).includes(code),
      );
      if (unsupported.length > 0) {
        const attribute = attributes[0]?.name ?? 'TOXICITY';
        throw invalid(
          `Attribute ${attribute} does not support request languages: ${unsupported.join(',')}`,
          [
            errorDetail('LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE', {
              languageNotSupportedByAttributeError: {
                detectedLanguages: unsupported,
                attribute,
              },
            }),
          ],
        );
      }
    }
  }

  for (const flag of ['doNotStore', 'spanAnnotations'] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') {
      throw invalid(`${flag} must be true or false.`);
    }
  }
  if (body.clientToken !== undefined && typeof body.clientToken !== 'string') {
    throw invalid('clientToken must be a string.');
  }
  return {
    text,
    attributes,
    languages,
    spanAnnotations: body.spanAnnotations === true,
    doNotStore: body.doNotStore === true,
    clientToken: typeof body.clientToken === 'string' ? body.clientToken.slice(0, 200) : null,
  };
}

/** Checks a `comments:suggestscore` body: a comment's text and the scores suggested for it. */
export function parseSuggestScoreRequest(body: unknown): void {
  if (!isRecord(body)) throw invalid('The request body must be a JSON object.');
  const comment = body.comment;
  if (!isRecord(comment) || typeof comment.text !== 'string' || comment.text.trim() === '') {
    throw invalid('comment.text is required.');
  }
  if (comment.text.length > MAX_TEXT_LENGTH) {
    throw invalid(`Comment text too long: at most ${MAX_TEXT_LENGTH} characters.`);
  }
  if (!isRecord(body.attributeScores)) throw invalid('attributeScores is required.');
}

/** Sentence-like spans of the text ([begin, end) in UTF-16 code units), for span scores. */
export function sentenceSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const boundary = /[^.!?。！？؟\n]+[.!?。！？؟\n]*/gu;
  for (const match of text.matchAll(boundary)) {
    const start = match.index + (match[0].length - match[0].trimStart().length);
    const end = match.index + match[0].trimEnd().length;
    if (end > start) spans.push([start, end]);
  }
  return spans;
}

const probability = (value: number) => ({
  value: Math.round(Math.min(1, Math.max(0, value)) * 1e6) / 1e6,
  type: 'PROBABILITY' as const,
});

/** Span scores: a score per sentence, or the words that drove each attribute. */
export type Spans =
  | { kind: 'sentences'; spans: { begin: number; end: number; scores: ClassifierScores }[] }
  | { kind: 'words'; words: WordWeight[] };

function spanScores(spans: Spans, label: ClassifierLabel) {
  if (spans.kind === 'sentences') {
    return spans.spans.map((span) => ({
      begin: span.begin,
      end: span.end,
      score: probability(span.scores.scores[label]),
    }));
  }
  return spans.words.flatMap((word) => {
    const drop = word.drops[label];
    return drop === undefined
      ? []
      : [{ begin: word.begin, end: word.end, score: probability(drop) }];
  });
}

/** Perspective's response for a request, from the classifier's scores of the text (and spans). */
export function buildAnalyzeResponse(
  request: AnalyzeRequest,
  whole: ClassifierScores,
  spans: Spans | null,
) {
  const attributeScores: Record<string, unknown> = {};
  for (const { name, threshold } of request.attributes) {
    const label = ATTRIBUTE_LABELS[name];
    const score = whole.scores[label];
    if (threshold !== null && score < threshold) continue;
    attributeScores[name] = {
      ...(spans && { spanScores: spanScores(spans, label) }),
      summaryScore: probability(score),
    };
  }
  const detected = whole.language;
  return {
    attributeScores,
    languages: request.languages ?? [detected],
    detectedLanguages: [detected],
    ...(request.clientToken !== null && { clientToken: request.clientToken }),
  };
}
