/**
 * The demo newsroom for the browser tests: the real `parley start --demo` process on a SQLite file
 * in a temporary directory of its own, that database opened beside it (tests write moderators'
 * decisions and confirm readers' addresses straight into it), and Chromium. Thread pages and
 * signed-in users are not cached, so a reload shows what a test wrote behind the process's back,
 * and the classifier is off, so that what a test checks does not change when the model is
 * retrained.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.ts';
import { startParley, type ParleyProcess } from './process.ts';

/** The demo's story, the one its article page shows. */
export const DEMO_STORY = 'beijing-unity-talks';

export interface Demo {
  parley: ParleyProcess;
  /** The process's database, opened beside it (busy_timeout set). */
  db: SQLite.Database;
  browser: Browser;
  /** Parley's id of the demo story, and of its site. */
  storyId: string;
  siteId: string;
  /** The temporary directory holding the database, removed by close(). */
  dir: string;
  /** Closes the browser, the database and the process, in that order, and removes `dir`. */
  close(): Promise<void>;
}

const DEFAULT_ENV: Record<string, string> = {
  PARLEY_THREAD_CACHE_TTL_MS: '0',
  PARLEY_SESSION_CACHE_MS: '0',
  PARLEY_CLASSIFIER: '0',
};

/**
 * Starts the demo in a directory named after `name`. `env` is laid over the defaults above; a
 * variable given as undefined is not set, so the process keeps its own default.
 */
export async function startDemo(
  name: string,
  env: Record<string, string | undefined> = {},
): Promise<Demo> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-${name}-`));
  const file = path.join(dir, 'parley.db');
  let parley: ParleyProcess | undefined;
  let db: SQLite.Database | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    db?.close();
    await parley?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const merged = { ...DEFAULT_ENV, ...env, DATABASE_URL: file };
    parley = await startParley({
      demo: true,
      env: Object.fromEntries(
        Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
    });
    db = new SQLite(file);
    db.pragma('busy_timeout = 5000');
    const story = db
      .prepare(`select id, site_id from stories where external_id = ?`)
      .get(DEMO_STORY) as { id: string; site_id: string };
    browser = await launchChromium();
    return { parley, db, browser, storyId: story.id, siteId: story.site_id, dir, close };
  } catch (error) {
    await close();
    throw error;
  }
}
