/**
 * The Digital Services Act's JSON shapes (docs/dsa.md), as the dashboard reads them: notices of
 * illegal content and appeals on a moderation item, an appeal's decision, and the transparency
 * report of a period.
 */
import type { ModerationItem } from './types.js';

export interface IllegalNotice {
  readonly legalGround: string;
  readonly explanation: string;
  /** Whether the notifier gave a name or an address. */
  readonly contactGiven: boolean;
  /** The notifier's name and address: sent to admins only, like authors' addresses. */
  readonly reporterName?: string | null;
  readonly reporterEmail?: string | null;
  readonly goodFaith: boolean;
  readonly createdAt: string;
}

export type AppealOutcome = 'upheld' | 'reversed';

export interface Appeal {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
  /** moot: closed undecided, the decision appealed no longer standing. */
  readonly state: 'open' | AppealOutcome | 'moot';
  /** Who made the decision appealed (null: the pipeline); they may not review the appeal. */
  readonly decidedBy: string | null;
  readonly reviewerId: string | null;
  readonly reviewedAt: string | null;
  readonly reviewNote: string | null;
}

export interface AppealDecision {
  readonly appeal: { readonly id: string; readonly state: Appeal['state'] };
  readonly item: ModerationItem | null;
}

export interface TransparencyReport {
  readonly site: { readonly id: string; readonly name: string };
  readonly period: { readonly from: string; readonly to: string };
  readonly reports: { readonly total: number; readonly byReason: Record<string, number> };
  readonly decisions: {
    readonly total: number;
    readonly automated: number;
    readonly human: number;
    readonly byAction: Record<string, number>;
    readonly byReason: Record<string, number>;
  };
  readonly appeals: {
    readonly total: number;
    readonly open: number;
    readonly upheld: number;
    readonly reversed: number;
    readonly moot: number;
  };
  readonly restrictions: {
    readonly total: number;
    readonly suspensions: number;
    readonly bans: number;
  };
  readonly medianSeconds: {
    readonly reportToDecision: number | null;
    readonly heldToDecision: number | null;
  };
  readonly undecided: { readonly reports: number; readonly held: number };
}
