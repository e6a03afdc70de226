/**
 * Runs a comment through the ordered phases. Reasons, scores and tags accumulate from every phase
 * that ran. A rejection or a refusal ends the run at once; so does an approval (a phase that
 * vouches for the comment, such as a publisher's own moderation service). A hold is remembered
 * while later phases run, so that a comment held for one reason can still be rejected for another;
 * the outcome is then pending. No phase deciding means the comment is approved.
 */
import type { ModerationInput, ModerationOutcome, Phase } from './types.ts';

export async function moderate(
  phases: readonly Phase[],
  input: ModerationInput,
): Promise<ModerationOutcome> {
  const outcome: ModerationOutcome = {
    decision: 'approved',
    reasons: [],
    scores: {},
    tags: [],
    highlights: [],
    decidedBy: null,
  };
  for (const phase of phases) {
    const result = await phase(input);
    if (!result) continue;
    outcome.reasons.push(...(result.reasons ?? []));
    Object.assign(outcome.scores, result.scores);
    outcome.tags.push(...(result.tags ?? []));
    outcome.highlights.push(...(result.highlights ?? []));
    if (result.refuse) {
      return { ...outcome, decision: 'rejected', refuse: result.refuse, decidedBy: phase.name };
    }
    if (result.decision === 'pending') {
      if (outcome.decision !== 'pending') {
        outcome.decision = 'pending';
        outcome.decidedBy = phase.name;
      }
      continue;
    }
    if (result.decision) return { ...outcome, decision: result.decision, decidedBy: phase.name };
  }
  return outcome;
}
