/**
 * Learning each newsroom's line (docs/site-models.md): trains a site's own layer over the shipped
 * classifier from its moderators' decisions, measures it on the most recent ones before using it,
 * rolls it back when newer decisions find it worse, and hands the moderation pipeline the active
 * layer of each site (cached per process, reloaded when another process has trained a new one).
 *
 * The maths are in src/domain/moderation/site-model.ts; the jobs that call `train` are in
 * site-model-jobs.ts.
 */
import { ParleyError } from '../domain/errors.ts';
import type { Classifier } from '../domain/moderation/phases/classifier.ts';
import type { SiteLayer, SiteLayers } from '../domain/moderation/phases/site-model.ts';
import {
  baseHolds,
  compareRules,
  enoughDecisions,
  fitSiteModelSteps,
  isBetter,
  isWorse,
  measurable,
  readSiteModelWeights,
  siteModelProbability,
  splitByTime,
  standingDecisions,
  type Comparison,
  type HeldOutCase,
  type RuleScore,
  type SiteModelWeights,
} from '../domain/moderation/site-model.ts';
import type { SiteModelConfig } from '../config.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { Store } from '../store/db.ts';
import { labelledExamples } from '../store/labels.ts';
import { insertAction } from '../store/audit.ts';
import type { Site } from '../store/rows.ts';
import type { SiteModelStatus } from '../store/schema.ts';
import {
  activeSiteModel,
  activeSiteModelStamps,
  deactivateSiteModel,
  decisionCounts,
  getSiteModel,
  insertSiteModel,
  listSiteModels,
  queuedJobId,
  type SiteModelRecord,
} from '../store/site-models.ts';
import { getSite, listSites } from '../store/sites.ts';
import { SITE_MODEL_TRAIN_JOB } from './site-model-jobs.ts';

/** A classifier a site's layer can be learned over: the shipped network (or a test stand-in). */
export interface Representer extends Classifier {
  /** Names the model; a layer is used only over the model it was trained on. */
  readonly id: string;
  /** What the network makes of a text: its hidden activations, then its raw logits. */
  representation(text: string): Float32Array;
}

export function canRepresent(classifier: Classifier | undefined): classifier is Representer {
  const candidate = classifier as Partial<Representer> | undefined;
  return typeof candidate?.representation === 'function' && typeof candidate.id === 'string';
}

/** What one training did. */
export interface TrainingResult {
  outcome: 'unavailable' | 'not_enough' | SiteModelStatus;
  /** The training's record (absent when there was not enough to train on). */
  modelId?: string;
  /** The layer this training rolled back, if any. */
  rolledBack?: string;
  /** Comments with a standing decision, and of them rejected. */
  decisions: number;
  rejected: number;
  comparison?: Comparison;
}

/** A site's status as the admin API shows it. */
export type SiteStatus =
  | 'disabled'
  | 'not_enough_decisions'
  /** Enough decisions; the next check (or an admin) starts the first training. */
  | 'not_trained_yet'
  | 'not_better'
  | 'active'
  | 'rolled_back';

export interface ModelSummary {
  id: string;
  status: SiteModelStatus;
  active: boolean;
  trainedAt: string;
  baseModel: string;
  /** Comments learned from and measured on, and of them held out (the most recent). */
  decisions: number;
  heldOut: number;
  /** On the held-out decisions: the classifier alone, and with the layer (null: not measured). */
  base: RuleScore | null;
  site: RuleScore | null;
  /** The layer this training replaced or found worse: its figures on the same decisions. */
  previous: RuleScore | null;
  rolledBackAt: string | null;
  note: string | null;
}

export interface SiteModelReport {
  siteId: string;
  status: SiteStatus;
  /** Why learning is off for the site, when it is. */
  disabledReason: string | null;
  /** The site's setting (learning may still be off for the whole server). */
  learnFromModerators: boolean;
  /** People's approvals and rejections that stand; since the last training (null: none yet). */
  decisions: { approved: number; rejected: number; sinceLastTraining: number | null };
  needed: { decisions: number; each: number; retrainAfter: number; margin: number };
  /** The layer in use, if any. */
  active: ModelSummary | null;
  /** The most recent trainings, newest first. */
  history: ModelSummary[];
  trainingQueued: boolean;
}

export interface SiteModelOptions {
  /** How long a process trusts its cache of active layers before asking the database. */
  reloadMs?: number;
  warn?: (message: string) => void;
}

/** Lets other work run: training yields between comments and iterations. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

const ruleScore = (value: unknown): RuleScore | null =>
  typeof value === 'object' && value !== null && 'macroF1' in value ? (value as RuleScore) : null;

function summary(record: SiteModelRecord): ModelSummary {
  return {
    id: record.id,
    status: record.status,
    active: record.active,
    trainedAt: record.trainedAt,
    baseModel: record.baseModel,
    decisions: record.decisions,
    heldOut: record.heldOut,
    base: ruleScore(record.metrics.base),
    site: ruleScore(record.metrics.site),
    previous: ruleScore(record.metrics.previous),
    rolledBackAt: record.rolledBackAt,
    note: record.note,
  };
}

const f = (x: number) => x.toFixed(3);

export class SiteModels implements SiteLayers {
  private layers = new Map<string, SiteLayer>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | undefined;
  private dims: number | undefined;
  private readonly reloadMs: number;

  constructor(
    private readonly store: Store,
    /** The pipeline's classifier, when it can carry a layer; null: learning is unavailable. */
    private readonly classifier: Representer | null,
    readonly config: SiteModelConfig,
    private readonly options: SiteModelOptions = {},
  ) {
    this.reloadMs = options.reloadMs ?? 30_000;
  }

  /** The classifier layers are learned over (null: none that can carry one). */
  get baseModel(): string | null {
    return this.classifier?.id ?? null;
  }

  /** Whether this process can learn and use layers at all. */
  get available(): boolean {
    return this.config.enabled && this.classifier !== null;
  }

  private unavailableReason(site?: Site): string | null {
    if (!this.config.enabled)
      return 'Learning from moderators is off on this server (PARLEY_SITE_MODELS=0).';
    if (!this.classifier) {
      return 'The built-in classifier is off on this server (PARLEY_CLASSIFIER=0), so there is nothing to adapt.';
    }
    if (site && !site.moderation.learnFromModerators) {
      return 'Learning from moderators is turned off in this site’s settings.';
    }
    return null;
  }

  // -------------------------------------------------------------------------------------------
  // Use

  async layerFor(siteId: string): Promise<SiteLayer | undefined> {
    if (!this.available) return undefined;
    if (Date.now() - this.loadedAt > this.reloadMs) await this.reload();
    return this.layers.get(siteId);
  }

  /** Forgets the cached layers (a training in this process changed one). */
  invalidate(): void {
    this.loadedAt = -Infinity;
  }

  private reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const classifier = this.classifier;
    if (!classifier) return;
    try {
      const stamps = await activeSiteModelStamps(this.store.db);
      const next = new Map<string, SiteLayer>();
      for (const stamp of stamps) {
        const known = this.layers.get(stamp.siteId);
        if (known?.id === stamp.id) {
          next.set(stamp.siteId, known);
          continue;
        }
        const record = await getSiteModel(this.store.db, stamp.id);
        const weights = record && this.usable(record);
        if (!weights) continue;
        next.set(stamp.siteId, {
          id: stamp.id,
          probability: (body) => siteModelProbability(weights, classifier.representation(body)),
        });
      }
      this.layers = next;
    } catch (error) {
      // Keep the layers in hand; try again after the usual interval.
      this.options.warn?.(`site models: could not reload the active layers: ${String(error)}`);
    }
    this.loadedAt = Date.now();
  }

  /** A record's weights, when they fit this process's classifier. */
  private usable(record: SiteModelRecord): SiteModelWeights | undefined {
    if (!this.classifier || record.baseModel !== this.classifier.id) return undefined;
    const weights = readSiteModelWeights(record.weights);
    return weights && weights.dims === this.representationLength() ? weights : undefined;
  }

  private representationLength(): number {
    this.dims ??= this.classifier?.representation('').length ?? 0;
    return this.dims;
  }

  // -------------------------------------------------------------------------------------------
  // Training

  /**
   * Trains the site's layer on its moderators' standing decisions, measures it on the most recent
   * of them against the classifier alone, and activates it when it does better by the margin;
   * a layer in use that the same decisions find worse than the classifier alone is rolled back.
   */
  async train(siteId: string, now: Date = new Date()): Promise<TrainingResult> {
    const classifier = this.classifier;
    const site = await getSite(this.store.db, siteId);
    if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
    if (!classifier || this.unavailableReason(site)) {
      return { outcome: 'unavailable', decisions: 0, rejected: 0 };
    }
    // Each comment's latest decision, in the order decisions were made; only the most recent
    // `maxDecisions` comments are kept (a comment decided again later comes back in, as it should).
    type Example = { commentId: string; decidedAt: string; rejected: boolean; text: string };
    const latest = new Map<string, Example>();
    for await (const page of labelledExamples(this.store.db, { siteId, scoredOnly: false })) {
      for (const example of page) {
        latest.delete(example.commentId);
        latest.set(example.commentId, {
          commentId: example.commentId,
          decidedAt: example.decidedAt,
          rejected: example.decision === 'reject',
          text: example.text,
        });
        if (latest.size > this.config.maxDecisions) {
          latest.delete(latest.keys().next().value as string);
        }
      }
    }
    const decisions = standingDecisions([...latest.values()], this.config.maxDecisions);
    const rejected = decisions.filter((d) => d.rejected).length;
    const counts = { approved: decisions.length - rejected, rejected };
    const tally = { decisions: decisions.length, rejected };
    const minimum = { total: this.config.minDecisions, each: this.config.minEach };
    const { train, heldOut } = splitByTime(decisions, this.config.heldOutFraction);
    const trainRejected = train.filter((d) => d.rejected).length;
    if (
      !enoughDecisions(counts, minimum) ||
      trainRejected === 0 ||
      trainRejected === train.length
    ) {
      return { outcome: 'not_enough', ...tally };
    }

    const rows: Float32Array[] = [];
    for (const [i, decision] of train.entries()) {
      rows.push(classifier.representation(decision.text));
      if (i % 200 === 199) await pause();
    }
    const steps = fitSiteModelSteps(
      rows,
      train.map((d) => (d.rejected ? 1 : 0)),
    );
    let weights: SiteModelWeights;
    for (let i = 0; ; i++) {
      const step = steps.next();
      if (step.done) {
        weights = step.value;
        break;
      }
      if (i % 5 === 4) await pause();
    }

    const hold = site.moderation.classifier.hold;
    const heldRows: Float32Array[] = [];
    const baseHeld: boolean[] = [];
    for (const [i, decision] of heldOut.entries()) {
      heldRows.push(classifier.representation(decision.text));
      baseHeld.push(baseHolds((await classifier.classify(decision.text)).scores, hold));
      if (i % 200 === 199) await pause();
    }
    const casesWith = (layer: SiteModelWeights): HeldOutCase[] =>
      heldOut.map((decision, i) => ({
        rejected: decision.rejected,
        baseHolds: baseHeld[i] as boolean,
        probability: siteModelProbability(layer, heldRows[i] as Float32Array),
      }));
    const comparison = compareRules(casesWith(weights), hold);
    const canMeasure = measurable(heldOut.map((d) => d.rejected));
    const status: SiteModelStatus = !canMeasure
      ? 'unmeasured'
      : isBetter(comparison, this.config.margin)
        ? 'active'
        : 'not_better';

    const current = await activeSiteModel(this.store.db, siteId);
    let previous: Comparison | undefined;
    let rollBack: string | null = null;
    if (current) {
      const currentWeights = this.usable(current);
      if (!currentWeights) {
        rollBack = 'Learned over another version of the classifier.';
      } else if (canMeasure) {
        previous = compareRules(casesWith(currentWeights), hold);
        if (status !== 'active' && isWorse(previous)) {
          rollBack =
            `On the ${heldOut.length} most recent decisions, the classifier with this layer ` +
            `scored a macro-F1 of ${f(previous.site.macroF1)}, without it ` +
            `${f(previous.base.macroF1)}.`;
        }
      }
    }
    const note =
      status === 'unmeasured'
        ? `The ${heldOut.length} most recent decisions hold too few approvals or rejections to measure on.`
        : null;
    const metrics = {
      heldOut: { decisions: comparison.decisions, rejected: comparison.rejected },
      trainedOn: { decisions: train.length, rejected: trainRejected },
      hold,
      margin: this.config.margin,
      l2: weights.l2,
      base: comparison.base,
      site: comparison.site,
      ...(previous && { previous: previous.site, previousId: current?.id }),
    };
    const modelId = await this.store.db.transaction().execute(async (trx) => {
      if (current && (status === 'active' || rollBack)) {
        await deactivateSiteModel(trx, current.id, {
          status: status === 'active' ? 'superseded' : 'rolled_back',
          at: now,
          ...(rollBack && status !== 'active' && { note: rollBack }),
        });
      }
      const id = await insertSiteModel(trx, {
        siteId,
        baseModel: classifier.id,
        weights,
        trainedAt: now,
        decisions: decisions.length,
        heldOut: heldOut.length,
        metrics,
        status,
        note,
      });
      const audit = (action: string, after: unknown, before: unknown = null) =>
        insertAction(trx, {
          at: now,
          actorId: null,
          action,
          siteId,
          commentId: null,
          userId: null,
          reason: null,
          before,
          after,
          undoable: false,
        });
      if (status === 'active') {
        await audit(
          'site.model.activate',
          { modelId: id, base: comparison.base.macroF1, site: comparison.site.macroF1 },
          current ? { modelId: current.id } : null,
        );
      } else if (rollBack && current) {
        await audit('site.model.rollback', { note: rollBack }, { modelId: current.id });
      }
      return id;
    });
    this.invalidate();
    return {
      outcome: status,
      modelId,
      ...(rollBack && status !== 'active' && current && { rolledBack: current.id }),
      ...tally,
      comparison,
    };
  }

  /**
   * Sites due a training: learning on, enough decisions, and no training yet, or enough new
   * decisions since the last one, or a last one over another version of the classifier.
   */
  async dueSites(): Promise<string[]> {
    if (!this.available) return [];
    const due: string[] = [];
    for (const site of await listSites(this.store.db)) {
      if (!site.moderation.learnFromModerators) continue;
      const [latest] = await listSiteModels(this.store.db, site.id, 1);
      if (latest && latest.baseModel === this.classifier?.id) {
        const since = await decisionCounts(this.store.db, site.id, new Date(latest.trainedAt));
        if (since.approved + since.rejected >= this.config.retrainAfter) due.push(site.id);
        continue;
      }
      const counts = await decisionCounts(this.store.db, site.id);
      const minimum = { total: this.config.minDecisions, each: this.config.minEach };
      if (enoughDecisions(counts, minimum)) due.push(site.id);
    }
    return due;
  }

  /**
   * Queues a training of the site now (the one already queued, if any), on an admin's request or
   * the periodic check's. An admin's request is written to the audit log.
   */
  async requestTraining(
    siteId: string,
    requestedBy: string | null,
  ): Promise<{ jobId: string; alreadyQueued: boolean }> {
    const site = await getSite(this.store.db, siteId);
    if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
    const reason = this.unavailableReason(site);
    if (reason) throw new ParleyError('SITE_MODEL_UNAVAILABLE', reason);
    return this.store.db.transaction().execute(async (trx) => {
      const payload = { siteId };
      const queued = await queuedJobId(trx, SITE_MODEL_TRAIN_JOB, payload);
      const jobId =
        queued ?? (await enqueueJob(trx, SITE_MODEL_TRAIN_JOB, payload, { maxAttempts: 3 }));
      if (requestedBy) {
        await insertAction(trx, {
          actorId: requestedBy,
          action: 'site.model.retrain',
          siteId,
          commentId: null,
          userId: null,
          reason: null,
          before: null,
          after: { jobId },
          undoable: false,
        });
      }
      return { jobId, alreadyQueued: queued !== undefined };
    });
  }

  /** Where the site stands: for admins and the site's moderators. */
  async report(site: Site): Promise<SiteModelReport> {
    const { db } = this.store;
    const history = (await listSiteModels(db, site.id, 10)).map(summary);
    const activeRecord = await activeSiteModel(db, site.id);
    const active = activeRecord ? summary(activeRecord) : null;
    const counts = await decisionCounts(db, site.id);
    const latest = history[0];
    const since = latest ? await decisionCounts(db, site.id, new Date(latest.trainedAt)) : null;
    const disabledReason = this.unavailableReason(site);
    let status: SiteStatus;
    if (disabledReason) status = 'disabled';
    else if (active) status = 'active';
    else if (!latest) {
      const minimum = { total: this.config.minDecisions, each: this.config.minEach };
      status = enoughDecisions(counts, minimum) ? 'not_trained_yet' : 'not_enough_decisions';
    } else if (
      history.some(
        (model) =>
          model.status === 'rolled_back' &&
          model.rolledBackAt !== null &&
          model.rolledBackAt >= latest.trainedAt,
      )
    ) {
      status = 'rolled_back';
    } else status = 'not_better';
    return {
      siteId: site.id,
      status,
      disabledReason,
      learnFromModerators: site.moderation.learnFromModerators,
      decisions: {
        ...counts,
        sinceLastTraining: since && since.approved + since.rejected,
      },
      needed: {
        decisions: this.config.minDecisions,
        each: this.config.minEach,
        retrainAfter: this.config.retrainAfter,
        margin: this.config.margin,
      },
      active,
      history,
      trainingQueued:
        (await queuedJobId(db, SITE_MODEL_TRAIN_JOB, { siteId: site.id })) !== undefined,
    };
  }
}
