/**
 * Versioned migrations, one set for both engines, run at start. Kysely's migrator takes a lock so
 * that several processes starting together apply each migration once.
 */
import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Store } from './db.ts';
import * as core from './migrations/0001_core.ts';
import * as moderation from './migrations/0002_moderation.ts';
import * as apiKeys from './migrations/0003_api_keys.ts';
import * as liveEvents from './migrations/0004_live_events.ts';
import * as identity from './migrations/0005_identity.ts';
import * as siteModels from './migrations/0006_site_models.ts';
import * as imports from './migrations/0007_imports.ts';
import * as notifications from './migrations/0008_notifications.ts';
import * as dsa from './migrations/0009_dsa.ts';
import * as qa from './migrations/0010_qa.ts';
import * as profiles from './migrations/0011_profiles.ts';
import * as bestSort from './migrations/0012_best_sort.ts';
import * as rendering from './migrations/0013_rendering.ts';

function migrations(store: Store): Record<string, Migration> {
  return {
    '0001_core': { up: core.up(store.engine) },
    '0002_moderation': { up: moderation.up(store.engine) },
    '0003_api_keys': { up: apiKeys.up(store.engine) },
    '0004_live_events': { up: liveEvents.up(store.engine) },
    '0005_identity': { up: identity.up(store.engine) },
    '0006_site_models': { up: siteModels.up(store.engine) },
    '0007_imports': { up: imports.up(store.engine) },
    '0008_notifications': { up: notifications.up(store.engine) },
    '0009_dsa': { up: dsa.up(store.engine) },
    '0010_qa': { up: qa.up(store.engine) },
    '0011_profiles': { up: profiles.up(store.engine) },
    '0012_best_sort': { up: bestSort.up(store.engine) },
    '0013_rendering': { up: rendering.up(store.engine) },
  };
}

export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store) },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
