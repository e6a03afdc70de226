/**
 * The site model phase: holds a comment that the site's own layer (site-model.ts, learned from
 * its moderators' decisions and measured better than the classifier alone) expects this site's
 * moderators to reject. It only ever holds: a person decides, and their decision teaches the next
 * layer. It runs right after the classifier phase, so that a publisher's service may still approve
 * (as it may over a classifier hold).
 *
 * A site without an active layer, or with learning turned off (`learnFromModerators: false`), is
 * untouched. The layer's probability is kept with the comment's scores (`site_model`).
 */
import type { ModerationInput, Phase, PhaseResult } from '../types.ts';

/** A site's active layer, ready to score a comment's text. */
export interface SiteLayer {
  /** The trained layer's id (kept in the comment's tags when it holds). */
  readonly id: string;
  probability(body: string): number | Promise<number>;
}

/** Finds a site's active layer (cached by the caller; undefined: none). */
export interface SiteLayers {
  layerFor(siteId: string): SiteLayer | undefined | Promise<SiteLayer | undefined>;
}

export const SITE_MODEL_HOLD = 'SITE_MODEL_HOLD';

export function siteModelPhase(layers: SiteLayers): Phase {
  return async function siteModel({
    body,
    settings,
    context,
  }: Pick<ModerationInput, 'body' | 'settings' | 'context'>): Promise<PhaseResult | undefined> {
    if (!context || !settings.learnFromModerators) return undefined;
    const layer = await layers.layerFor(context.siteId);
    if (!layer) return undefined;
    const probability = await layer.probability(body);
    const scores = { site_model: Math.round(probability * 1e4) / 1e4 };
    if (probability < settings.classifier.hold) return { scores };
    return {
      decision: 'pending',
      scores,
      tags: ['site-model', `site-model:${layer.id}`],
      reasons: [
        {
          code: SITE_MODEL_HOLD,
          message:
            'Held for review: this site’s moderators have usually rejected comments like this one.',
        },
      ],
    };
  };
}
