/**
 * What the classifier reacted to in a comment it held or rejected: the comment's text as written
 * (the Markdown source, as text nodes, never markup) with the spans that drove the scores marked,
 * and the strongest of them listed with what they moved. An explanation of the model, not
 * evidence against the author, and the card says so.
 */
import type { Highlight } from '../api/types.js';
import {
  excerptPieces,
  highlightPieces,
  markStrength,
  strongestWords,
  type LabelDrops,
} from '../state/highlights.js';
import { scoreLabel } from './format.js';

const amount = (value: number) => value.toFixed(2);

/** "Raised identity attack by 0.42, toxicity by 0.30". */
export function describeDrops(drops: LabelDrops): string {
  return `Raised ${drops
    .map(([label, value]) => `${scoreLabel(label).toLowerCase()} by ${amount(value)}`)
    .join(', ')}`;
}

export function Highlights({
  id,
  body,
  highlights,
}: {
  /** Unique on the page: names the section. */
  readonly id: string;
  readonly body: string;
  readonly highlights: readonly Highlight[] | undefined;
}) {
  const pieces = highlightPieces(body, highlights);
  if (!pieces.some((piece) => piece.drops)) return null;
  const shown = excerptPieces(pieces);
  const words = strongestWords(pieces);
  const marked = pieces.filter((piece) => piece.drops).length;
  const titleId = `${id}-title`;
  const noteId = `${id}-note`;
  return (
    <section class="highlights" aria-labelledby={titleId} aria-describedby={noteId}>
      <h4 id={titleId} class="highlights-title">
        What the classifier reacted to
      </h4>
      <p class="highlights-text" dir="auto">
        {shown.map((piece, index) =>
          piece.drops ? (
            <mark
              key={index}
              class={`hl hl-${markStrength(piece.drops)}`}
              title={describeDrops(piece.drops)}
            >
              <span class="vh">flagged: </span>
              {piece.text}
            </mark>
          ) : (
            piece.text
          ),
        )}
      </p>
      <ul class="highlights-words" aria-label="Words that drove the scores">
        {words.map((word, index) => (
          <li key={index} class="highlights-word">
            <span class="highlights-term" dir="auto">
              {word.text}
            </span>{' '}
            <span class="highlights-drops">
              {word.drops.map(([label, value], at) => (
                <span key={label}>
                  {at > 0 && ', '}
                  <span class="highlights-drop">
                    {scoreLabel(label).toLowerCase()}{' '}
                    <span class="highlights-amount">+{amount(value)}</span>
                  </span>
                </span>
              ))}
            </span>
          </li>
        ))}
        {marked > words.length && (
          <li class="highlights-word highlights-more">and {marked - words.length} more</li>
        )}
      </ul>
      <p id={noteId} class="highlights-note">
        What the model reacted to, not proof: read the whole comment before deciding. Darker marks
        moved the scores more; each figure is how far a score falls without those words.
      </p>
    </section>
  );
}
