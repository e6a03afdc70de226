/**
 * `parley classifier export-labels` as an operator runs it: moderators' decisions made through the
 * real moderation service on a SQLite file, exported by the CLI in a child process.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { asModerator, ModerationActions } from '../../src/services/moderation-actions.ts';
import { insertComment, type StoredModeration } from '../../src/store/comments.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertSite } from '../../src/store/sites.ts';
import { findOrInsertStory } from '../../src/store/stories.ts';
import { insertUser } from '../../src/store/users.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function parley(args: string[], database: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['bin/parley.js', ...args],
      {
        cwd: ROOT,
        timeout: 60_000,
        env: { ...process.env, DATABASE_URL: database, NODE_OPTIONS: '' },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

const scored = (toxicity: number): StoredModeration => ({
  decidedBy: 'classifier',
  reasons: [{ code: 'CLASSIFIER_HOLD', message: 'Possibly toxicity.' }],
  scores: { toxicity, identity_attack: 0.1, threat: 0.01, spam: 0.01 },
  tags: ['model:parley-1', 'lang:en'],
});

describe('parley classifier export-labels', () => {
  let dir: string;
  let database: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-labels-'));
    database = path.join(dir, 'labels.db');
    const store = openStore({ engine: 'sqlite', file: database });
    try {
      await migrate(store);
      const site = await insertSite(store.db, {
        name: 'Daily',
        allowedOrigins: ['https://daily.example'],
        editWindowSeconds: 300,
        maxDepth: 3,
      });
      const { story } = await findOrInsertStory(store.db, site.id, {
        url: 'https://daily.example/a',
        externalId: null,
      });
      const author = await insertUser(store.db, {
        email: 'a@example.com',
        displayName: 'A',
        passwordHash: null,
        role: 'commenter',
      });
      const admin = await insertUser(store.db, {
        email: 'm@example.com',
        displayName: 'M',
        passwordHash: null,
        role: 'admin',
      });
      assert.ok(author && admin);
      const post = async (body: string, moderation: StoredModeration) => {
        const comment = await insertComment(store.db, {
          siteId: site.id,
          storyId: story.id,
          parentId: null,
          threadParentId: null,
          depth: 0,
          authorId: author.id,
          body,
          html: `<p>${body}</p>`,
          status: 'pending',
          moderation,
        });
        assert.ok(comment);
        return comment.id;
      };
      const actions = new ModerationActions(store, () => {});
      const moderator = asModerator(admin);
      const fine = await post('A sharp but fair point about the talks.', scored(0.72));
      const nasty = await post('You are a worthless idiot.', scored(0.93));
      const changed = await post('Buy cheap watches here.', scored(0.75));
      const unscored = await post('Plain held comment.', { ...scored(0), scores: {} });
      await actions.onComment(moderator, fine, 'approve');
      await actions.onComment(moderator, nasty, 'reject', { reason: 'ABUSE' });
      // Rejected as spam, then that decision undone and approved: only the approval stands.
      const spam = await actions.onComment(moderator, changed, 'reject', { reason: 'SPAM' });
      await actions.undo(moderator, spam.id);
      await actions.onComment(moderator, changed, 'approve');
      await actions.onComment(moderator, unscored, 'approve');
    } finally {
      await store.close();
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one example per scored comment, with the decision that stands', async () => {
    const out = path.join(dir, 'labels.jsonl');
    const run = await parley(['classifier', 'export-labels', '--out', out], database);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Wrote 3 labelled examples \(ok 2, toxicity 1\)/);
    const examples = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            text: string;
            label: string;
            scores: { toxicity: number };
            model: string;
            language: string;
          },
      );
    const byText = Object.fromEntries(examples.map((e) => [e.text, e]));
    assert.equal(byText['You are a worthless idiot.']?.label, 'toxicity');
    assert.equal(byText['You are a worthless idiot.']?.scores.toxicity, 0.93);
    assert.equal(byText['A sharp but fair point about the talks.']?.label, 'ok');
    assert.equal(byText['Buy cheap watches here.']?.label, 'ok');
    assert.equal(byText['Plain held comment.'], undefined, 'unscored comments need --all');
    assert.equal(examples[0]?.model, 'parley-1');
    assert.equal(examples[0]?.language, 'en');
  });

  it('--all adds unscored comments; to standard output without --out', async () => {
    const run = await parley(['classifier', 'export-labels', '--all'], database);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 4);
  });

  it('refuses an unknown subcommand and a bad date as usage errors', async () => {
    const bogus = await parley(['classifier', 'train'], database);
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /export-labels/);
    const date = await parley(['classifier', 'export-labels', '--since', 'yesterday'], database);
    assert.equal(date.code, 2);
    assert.match(date.stderr, /--since is not a date/);
  });
});
