/**
 * A discussion built through the API the way readers and moderators make one (threads nested past
 * the site's depth, reactions, reports, a rejection, a featured comment, a held comment, a
 * tombstone, a ban, a note), plus what only the database holds (an SSO identity, secrets in the
 * site's settings, an imported row's source), for the export suites to take apart.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../../src/store/db.ts';
import { exportParley } from '../../src/export/ndjson.ts';
import type { TestApp } from '../helpers/app.ts';

export const SECRETS = {
  sso: 'sso-shared-secret-that-is-at-least-32-bytes-long',
  oidc: 'oidc-client-secret-never-exported',
  external: 'external-moderation-hmac-secret',
};

export interface Discussion {
  stories: string[];
  /** Every comment id posted, by a name for the test. */
  comments: Record<string, string>;
  readers: Record<string, { token: string; id: string; email: string }>;
  adminToken: string;
}

export async function buildDiscussion(app: TestApp): Promise<Discussion> {
  const admin = await app.admin();
  const rana = await app.signup('Rana');
  const yossi = await app.signup('Yossi');
  const dana = await app.signup('Dana');
  const held = await app.signup('Held Reader');
  const comments: Record<string, string> = {};
  const post = async (
    name: string,
    story: string,
    token: string,
    body: string,
    parent?: string,
  ) => {
    const response = await app.post(story, token, body, parent && comments[parent]);
    assert.equal(response.status, 201, response.text);
    comments[name] = response.json.comment.id as string;
  };
  const call = async (
    method: 'POST' | 'PUT' | 'DELETE',
    url: string,
    token: string,
    body?: unknown,
  ) => {
    const response = await app.request({ method, url: `/api/v1${url}`, token, body });
    assert.ok(response.status < 300, `${method} ${url}: ${response.text}`);
    return response;
  };

  const first = await app.story('first-story');
  const resolved = await app.request({
    method: 'POST',
    url: '/api/v1/stories/resolve',
    body: {
      url: 'https://news.example/news/second',
      storyId: 'second-story',
      title: 'Q&A: <live> "coverage"',
    },
  });
  assert.equal(resolved.status, 200, resolved.text);
  const second = resolved.json.story.id as string;

  await post('top', first, rana.token, 'First, with **bold** and a [link](https://example.org).');
  await post('reply1', first, yossi.token, 'A reply.', 'top');
  await post('reply2', first, rana.token, 'A reply to the reply.', 'reply1');
  await post('reply3', first, dana.token, 'Deeper still.', 'reply2');
  await post('reply4', first, yossi.token, 'Past the depth: shown flattened.', 'reply3');
  await post('liked', first, yossi.token, 'Liked by two.');
  await call('PUT', `/comments/${comments.liked}/reaction`, rana.token);
  await call('PUT', `/comments/${comments.liked}/reaction`, dana.token);
  await call('PUT', `/comments/${comments.reply1}/reaction`, dana.token);
  await post('rejected', first, dana.token, 'Buy cheap watches here.');
  await call('POST', `/admin/comments/${comments.rejected}/reject`, admin, {
    reason: 'SPAM',
    note: 'Advertising.',
  });
  await post('featured', first, rana.token, 'A comment worth featuring.');
  await call('POST', `/admin/comments/${comments.featured}/feature`, admin);
  await post('reported', first, yossi.token, 'Something someone dislikes.');
  await call('POST', `/comments/${comments.reported}/reports`, rana.token, {
    reason: 'off_topic',
    note: 'Not about the story.',
  });
  await post('tombstone', first, dana.token, 'Deleted later, kept for its reply.');
  await post('underTombstone', first, rana.token, 'A reply that keeps it.', 'tombstone');
  await call('DELETE', `/comments/${comments.tombstone}`, dana.token);
  await call('POST', `/admin/users/${held.id}/premoderate`, admin, { on: true });
  await post('pending', first, held.token, 'Held for review.');
  await call('POST', `/admin/users/${held.id}/notes`, admin, { text: 'Watch this account.' });

  await post('secondTop', second, dana.token, 'On the second story.');
  await post('secondReply', second, rana.token, 'An answer & a <tag>.', 'secondTop');
  await call('POST', `/admin/users/${dana.id}/warn`, admin, { message: 'Mind the tone.' });

  // What only the database holds: sign-in through the publisher, secrets, an imported row.
  await app.store.db
    .insertInto('user_identities')
    .values({
      provider: `sso:${app.site.id}`,
      subject: 'publisher-user-42',
      user_id: yossi.id,
      created_at: new Date().toISOString(),
    })
    .execute();
  await app.store.db
    .updateTable('sites')
    .set({
      auth: JSON.stringify({
        methods: { local: true, sso: true, oidc: true },
        sso: { secret: SECRETS.sso, issuer: 'https://news.example' },
        oidc: {
          issuer: 'https://id.example',
          clientId: 'parley',
          clientSecret: SECRETS.oidc,
          label: 'News ID',
        },
      }),
      moderation: JSON.stringify({
        repeatWindowSeconds: 0,
        maxPostsPerMinute: 100000,
        external: { url: 'https://mod.example/check', secret: SECRETS.external, timeoutMs: 2000 },
      }),
    })
    .where('id', '=', app.site.id)
    .execute();
  await app.store.db
    .insertInto('import_sources')
    .values({
      site_id: app.site.id,
      source: 'disqus',
      kind: 'comment',
      source_id: '12345',
      target_id: comments.top as string,
    })
    .execute();
  await app.sites.refresh();

  return {
    stories: [first, second],
    comments,
    readers: { rana, yossi, dana, held },
    adminToken: admin,
  };
}

/** The archive as one string. */
export async function exportText(store: Store, siteId?: string): Promise<string> {
  let text = '';
  await exportParley(store, { siteId, write: (chunk) => void (text += chunk) });
  return text;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'parley-export-'));
}

export function records(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Row counts of the tables an archive restores. */
export async function tableCounts(store: Store): Promise<Record<string, number>> {
  const tables = [
    'sites',
    'stories',
    'users',
    'user_identities',
    'comments',
    'reactions',
    'reports',
    'moderation_actions',
    'user_notes',
    'import_sources',
    'import_runs',
    'jobs',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
