/**
 * The classifier's highlights (the spans of a comment that drove an automatic hold or rejection)
 * cut into the pieces the card renders as text: plain runs and marked runs, never markup. The
 * spans come from stored JSON, so nothing about them is trusted: spans outside the text are
 * clipped to it, empty, reversed or malformed ones ignored, overlaps given to the earlier span, and
 * ends that would split a surrogate pair moved out to keep the character whole.
 */
import type { Highlight } from '../api/types.js';

/** A span's labels that moved, largest fall first: [label, fall 0–1]. */
export type LabelDrops = readonly (readonly [string, number])[];

export interface TextPiece {
  readonly text: string;
  /** Set on a marked run: what it drove, largest first. */
  readonly drops?: LabelDrops;
}

/** Words longer than this are cut down in the list under the text. */
const MAX_WORD = 40;

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

function dropsOf(labels: unknown): LabelDrops {
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return [];
  return Object.entries(labels as Record<string, unknown>)
    .filter((entry): entry is [string, number] => {
      const value = entry[1];
      return typeof value === 'number' && Number.isFinite(value) && value > 0;
    })
    .map(([label, value]) => [label, Math.min(1, value)] as const)
    .sort((a, b) => b[1] - a[1]);
}

interface Span {
  readonly begin: number;
  readonly end: number;
  readonly drops: LabelDrops;
}

/** The usable spans, clipped to the text, in order of their start. */
export function usableSpans(body: string, highlights: readonly Highlight[] | undefined): Span[] {
  if (!Array.isArray(highlights)) return [];
  const spans: Span[] = [];
  for (const highlight of highlights as readonly unknown[]) {
    if (!highlight || typeof highlight !== 'object') continue;
    const { begin: rawBegin, end: rawEnd, labels } = highlight as Partial<Highlight>;
    if (!Number.isInteger(rawBegin) || !Number.isInteger(rawEnd)) continue;
    let begin = Math.max(0, rawBegin as number);
    let end = Math.min(body.length, rawEnd as number);
    if (begin > 0 && isLow(body.charCodeAt(begin)) && isHigh(body.charCodeAt(begin - 1))) begin--;
    if (end < body.length && isLow(body.charCodeAt(end)) && isHigh(body.charCodeAt(end - 1))) end++;
    if (begin >= end || body.slice(begin, end).trim() === '') continue;
    const drops = dropsOf(labels);
    if (drops.length === 0) continue;
    spans.push({ begin, end, drops });
  }
  return spans.sort((a, b) => a.begin - b.begin || b.end - a.end);
}

/** The whole text as plain and marked runs, in order; one plain run when nothing is usable. */
export function highlightPieces(
  body: string,
  highlights: readonly Highlight[] | undefined,
): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const span of usableSpans(body, highlights)) {
    // An overlap belongs to the span that starts first; what is left of this one is marked alone.
    const begin = Math.max(span.begin, at);
    if (begin >= span.end) continue;
    if (begin > at) pieces.push({ text: body.slice(at, begin) });
    pieces.push({ text: body.slice(begin, span.end), drops: span.drops });
    at = span.end;
  }
  if (at < body.length || pieces.length === 0) pieces.push({ text: body.slice(at) });
  return pieces;
}

/**
 * For a long comment, the marked runs with some context around each and "…" for the rest (the card
 * shows the whole comment just above); short ones whole.
 */
export function excerptPieces(
  pieces: readonly TextPiece[],
  context = 80,
  whole = 480,
): TextPiece[] {
  const length = pieces.reduce((sum, piece) => sum + piece.text.length, 0);
  if (length <= whole || !pieces.some((piece) => piece.drops)) return [...pieces];
  return pieces.map((piece, index) => {
    if (piece.drops) return piece;
    const first = index === 0;
    const last = index === pieces.length - 1;
    const { text } = piece;
    if (first && text.length > context) return { text: `…${tail(text, context)}` };
    if (last && text.length > context) return { text: `${head(text, context)}…` };
    if (!first && !last && text.length > 2 * context + 20) {
      return { text: `${head(text, context)} … ${tail(text, context)}` };
    }
    return piece;
  });
}

/** About the first `size` characters, cut at a space when there is one near. */
function head(text: string, size: number): string {
  let cut = text.lastIndexOf(' ', size);
  if (cut < size / 2) cut = size;
  if (isHigh(text.charCodeAt(cut - 1))) cut--;
  return text.slice(0, cut).trimEnd();
}

/** About the last `size` characters, cut at a space when there is one near. */
function tail(text: string, size: number): string {
  let cut = text.indexOf(' ', text.length - size);
  if (cut < 0 || cut > text.length - size / 2) cut = text.length - size;
  if (isLow(text.charCodeAt(cut))) cut++;
  return text.slice(cut).trimStart();
}

export interface MarkedWord {
  readonly text: string;
  readonly drops: LabelDrops;
}

/**
 * The marked runs by how far they moved any score, the strongest first (the same words together),
 * at most `limit`; long runs cut down.
 */
export function strongestWords(pieces: readonly TextPiece[], limit = 6): MarkedWord[] {
  const words: MarkedWord[] = [];
  for (const piece of pieces) {
    if (!piece.drops) continue;
    const text = piece.text.replace(/\s+/g, ' ').trim();
    words.push({
      text: text.length > MAX_WORD ? `${head(text, MAX_WORD - 1)}…` : text,
      drops: piece.drops,
    });
  }
  return words.sort((a, b) => (b.drops[0]?.[1] ?? 0) - (a.drops[0]?.[1] ?? 0)).slice(0, limit);
}

/** How strongly a marked run is drawn: by its largest fall. */
export function markStrength(drops: LabelDrops): 'strong' | 'medium' | 'weak' {
  const top = drops[0]?.[1] ?? 0;
  return top >= 0.25 ? 'strong' : top >= 0.1 ? 'medium' : 'weak';
}
