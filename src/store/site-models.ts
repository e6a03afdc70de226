/**
 * SQL for sites' own layers over the classifier (docs/site-models.md): the trainings kept in
 * `site_models`, which one is active per site, and the counts of moderators' decisions that say
 * when a site has enough to learn from, or enough new ones to learn again.
 */
import type { Kysely, Selectable } from 'kysely';
import { idFloor, newId } from '../domain/ids.ts';
import type { Database, SiteModelStatus, SiteModelTable } from './schema.ts';
import { toFlag, toIso } from './rows.ts';

type Db = Kysely<Database>;

export interface SiteModelRecord {
  id: string;
  siteId: string;
  baseModel: string;
  /** JSON as stored (read with readSiteModelWeights). */
  weights: string;
  trainedAt: string;
  decisions: number;
  heldOut: number;
  /** Parsed JSON: the held-out comparison and how the layer was fitted. */
  metrics: Record<string, unknown>;
  status: SiteModelStatus;
  active: boolean;
  rolledBackAt: string | null;
  note: string | null;
}

export interface NewSiteModel {
  siteId: string;
  baseModel: string;
  weights: unknown;
  trainedAt: Date;
  decisions: number;
  heldOut: number;
  metrics: unknown;
  status: SiteModelStatus;
  note?: string | null;
}

function fromRow(row: Selectable<SiteModelTable>): SiteModelRecord {
  let metrics: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(row.metrics) as unknown;
    if (typeof parsed === 'object' && parsed !== null) metrics = parsed as Record<string, unknown>;
  } catch {
    metrics = {};
  }
  return {
    id: row.id,
    siteId: row.site_id,
    baseModel: row.base_model,
    weights: row.weights,
    trainedAt: toIso(row.trained_at),
    decisions: row.decisions,
    heldOut: row.held_out,
    metrics,
    status: row.status,
    active: toFlag(row.active),
    rolledBackAt: toIso(row.rolled_back_at),
    note: row.note,
  };
}

/** Stores a training (inactive unless `status` is active) and returns its id. */
export async function insertSiteModel(db: Db, model: NewSiteModel): Promise<string> {
  const id = newId(model.trainedAt.getTime());
  await db
    .insertInto('site_models')
    .values({
      id,
      site_id: model.siteId,
      base_model: model.baseModel,
      weights: JSON.stringify(model.weights),
      trained_at: model.trainedAt.toISOString(),
      decisions: model.decisions,
      held_out: model.heldOut,
      metrics: JSON.stringify(model.metrics),
      status: model.status,
      active: model.status === 'active' ? 1 : 0,
      rolled_back_at: null,
      note: model.note ?? null,
    })
    .execute();
  return id;
}

/** Takes a layer out of use, keeping its record: superseded by a better one, or rolled back. */
export async function deactivateSiteModel(
  db: Db,
  id: string,
  change: { status: 'superseded' | 'rolled_back'; at: Date; note?: string | null },
): Promise<void> {
  await db
    .updateTable('site_models')
    .set({
      active: 0,
      status: change.status,
      ...(change.status === 'rolled_back' && { rolled_back_at: change.at.toISOString() }),
      ...(change.note !== undefined && { note: change.note }),
    })
    .where('id', '=', id)
    .execute();
}

/** A site's trainings, newest first. */
export async function listSiteModels(
  db: Db,
  siteId: string,
  limit = 10,
): Promise<SiteModelRecord[]> {
  const rows = await db
    .selectFrom('site_models')
    .selectAll()
    .where('site_id', '=', siteId)
    .orderBy('trained_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

export async function activeSiteModel(
  db: Db,
  siteId: string,
): Promise<SiteModelRecord | undefined> {
  const row = await db
    .selectFrom('site_models')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('active', '=', 1)
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function getSiteModel(db: Db, id: string): Promise<SiteModelRecord | undefined> {
  const row = await db
    .selectFrom('site_models')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && fromRow(row);
}

/** Which layer is active on each site, and since when: what a process's cache compares against. */
export async function activeSiteModelStamps(
  db: Db,
): Promise<{ id: string; siteId: string; trainedAt: string }[]> {
  const rows = await db
    .selectFrom('site_models')
    .select(['id', 'site_id', 'trained_at'])
    .where('active', '=', 1)
    .execute();
  return rows.map((row) => ({ id: row.id, siteId: row.site_id, trainedAt: toIso(row.trained_at) }));
}

/**
 * People's approvals and rejections on a site that stand (not undone), made after `since` when
 * given. Decisions, not comments: a comment decided twice counts twice here (training counts each
 * comment once).
 */
export async function decisionCounts(
  db: Db,
  siteId: string,
  since?: Date,
): Promise<{ approved: number; rejected: number }> {
  let query = db
    .selectFrom('moderation_actions')
    .select(['action', db.fn.countAll<number>().as('n')])
    .where('site_id', '=', siteId)
    .where('action', 'in', ['comment.approve', 'comment.reject'])
    .where('actor_id', 'is not', null)
    .where('undone_at', 'is', null);
  // Ids are time-ordered: the (site_id, id) index finds the recent ones.
  if (since) query = query.where('id', '>=', idFloor(since.getTime() + 1));
  const rows = await query.groupBy('action').execute();
  const count = (action: string) => Number(rows.find((r) => r.action === action)?.n ?? 0);
  return { approved: count('comment.approve'), rejected: count('comment.reject') };
}

/** The id of a job of this kind and payload not yet done (the payload as enqueued), if any. */
export async function queuedJobId(
  db: Db,
  kind: string,
  payload: unknown,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', kind)
    .where('payload', '=', JSON.stringify(payload))
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return row?.id;
}
