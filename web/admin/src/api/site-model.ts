/**
 * GET /admin/sites/:siteId/site-model: how a site's own layer over the classifier stands (learned
 * from its moderators; docs/site-models.md), as the API answers it.
 */

export interface ClassScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** A rule (the classifier alone, or with the site's layer) on the held-out decisions. */
export interface RuleScore {
  /** Its holds against the moderators' rejections. */
  readonly reject: ClassScore;
  /** What it lets through against their approvals. */
  readonly approve: ClassScore;
  readonly macroF1: number;
  readonly held: number;
}

export type SiteModelStatus = 'active' | 'not_better' | 'unmeasured' | 'superseded' | 'rolled_back';

export interface ModelSummary {
  readonly id: string;
  readonly status: SiteModelStatus;
  readonly active: boolean;
  readonly trainedAt: string;
  readonly baseModel: string;
  readonly decisions: number;
  readonly heldOut: number;
  readonly base: RuleScore | null;
  readonly site: RuleScore | null;
  readonly previous: RuleScore | null;
  readonly rolledBackAt: string | null;
  readonly note: string | null;
}

export type SiteLearningStatus =
  'disabled' | 'not_enough_decisions' | 'not_trained_yet' | 'not_better' | 'active' | 'rolled_back';

export interface SiteModelReport {
  readonly siteId: string;
  readonly status: SiteLearningStatus;
  readonly disabledReason: string | null;
  /** The site's setting (learning may still be off for the whole server). */
  readonly learnFromModerators: boolean;
  readonly decisions: {
    readonly approved: number;
    readonly rejected: number;
    readonly sinceLastTraining: number | null;
  };
  readonly needed: {
    readonly decisions: number;
    readonly each: number;
    readonly retrainAfter: number;
    readonly margin: number;
  };
  readonly active: ModelSummary | null;
  readonly history: readonly ModelSummary[];
  readonly trainingQueued: boolean;
}
