/**
 * The audit log as a newsroom reads it (GET /api/v1/admin/audit), on both engines: each entry
 * carries the moderator's name, the comment's excerpt (as plain text, hostile markup included),
 * its author and story, the account acted on, and for an undo the entry it took back; deleted
 * comments and erased accounts say so; the filters by moderator, action and story work alone and
 * together and refuse bad values with 400; a moderator of another site sees nothing of this one.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AUDIT_ACTIONS } from '../../src/domain/audit-actions.ts';
import { newId } from '../../src/domain/ids.ts';
import { REJECTION_CODES } from '../../src/domain/vocabulary.ts';
import { eraseProfile } from '../../src/store/privacy.ts';
import { insertSite } from '../../src/store/sites.ts';
import {
  AUDIT_ACTIONS as DASHBOARD_ACTIONS,
  PIPELINE_REASON_CODES,
  REJECTION_CODES as DASHBOARD_CODES,
} from '../../web/admin/src/api/types.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const ENV = { PARLEY_AUTH_RATE_LIMIT: '1000', PARLEY_WRITE_RATE_LIMIT: '100000' };
const HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes" **bold**';

interface Entry {
  id: string;
  action: string;
  siteId: string | null;
  actor: { id: string; name: string | null; erased: boolean } | null;
  reason: string | null;
  comment: { id: string; excerpt: string | null; deleted: boolean; status: string | null } | null;
  story: { id: string; title: string | null; url: string } | null;
  user: { id: string; name: string | null; erased: boolean } | null;
  undoOf: { id: string; action: string; actor: { name: string | null } | null } | null;
}

describe('audit actions and reason codes: server and dashboard agree', () => {
  it('lists the same actions and rejection codes', () => {
    assert.deepEqual([...DASHBOARD_ACTIONS].sort(), [...AUDIT_ACTIONS].sort());
    assert.deepEqual([...DASHBOARD_CODES], [...REJECTION_CODES]);
  });

  it('has words for every reason code the pipeline and the importer give', () => {
    const files = [
      ...fs
        .readdirSync('src/domain/moderation/phases')
        .map((name) => path.join('src/domain/moderation/phases', name)),
      'src/import/importer.ts',
    ];
    const given = new Set<string>();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      // Reasons name their code as a literal (`code: 'X'`) or through a constant ('X_Y' strings).
      for (const match of text.matchAll(/\bcode: '([A-Z_]+)'/g)) given.add(match[1]!);
      for (const match of text.matchAll(/(?:=|:) '((?:EXTERNAL|SITE_MODEL)_[A-Z_]+)'/g)) {
        given.add(match[1]!);
      }
    }
    assert.ok(given.size > 15, `found ${given.size} codes`);
    for (const code of given) {
      assert.ok(
        (PIPELINE_REASON_CODES as readonly string[]).includes(code),
        `${code} has no words in the dashboard`,
      );
    }
  });
});

for (const engine of await testEngines()) {
  describe(`audit log in words (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    let adminId: string;
    let mona: { token: string; id: string };
    let foreign: { token: string; id: string };
    let rana: { token: string; id: string };
    let yossi: { token: string; id: string };
    let storyA: string;
    let storyB: string;
    let hostile: string;
    let onB: string;
    let deleted: string;
    let rejectEntry: string;

    const audit = async (query: string, token = admin): Promise<Entry[]> => {
      const response = await app.request({
        method: 'GET',
        url: `/api/v1/admin/audit?limit=100${query ? `&${query}` : ''}`,
        token,
      });
      assert.equal(response.status, 200, `${query} → ${response.text.slice(0, 300)}`);
      return response.json.entries as Entry[];
    };
    const act = async (url: string, token: string, body?: unknown) => {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/admin${url}`,
        token,
        ...(body !== undefined && { body }),
      });
      assert.equal(response.status, 200, `${url} → ${response.text.slice(0, 300)}`);
      return response.json;
    };
    const comment = async (story: string, token: string, body: string) => {
      const response = await app.post(story, token, body);
      assert.equal(response.status, 201, response.text);
      return response.json.comment.id as string;
    };
    const resolve = async (id: string, title: string) => {
      const response = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        body: { url: `${SITE_ORIGIN}/news/${id}`, storyId: id, title },
      });
      assert.equal(response.status, 200, response.text);
      return response.json.story.id as string;
    };
    const makeModerator = async (name: string, siteIds: string[] | null) => {
      const user = await app.signup(name);
      await app.store.db
        .updateTable('users')
        .set({
          role: 'moderator',
          moderator_site_ids: siteIds && JSON.stringify(siteIds),
        })
        .where('id', '=', user.id)
        .execute();
      return user;
    };

    before(async () => {
      app = await createTestApp(engine, ENV);
      const other = await insertSite(app.store.db, {
        name: 'Other News',
        allowedOrigins: ['https://other.example'],
        editWindowSeconds: 900,
        maxDepth: 3,
      });
      await app.sites.refresh();
      admin = await app.admin();
      adminId = (await app.request({ method: 'GET', url: '/api/v1/auth/me', token: admin })).json
        .user.id;
      mona = await makeModerator('Mona Moderator', null);
      foreign = await makeModerator('Faraway Moderator', [other.id]);
      rana = await app.signup('Rana');
      yossi = await app.signup('Yossi');
      storyA = await resolve('talks', 'Beijing talks resume');
      storyB = await resolve('budget', 'The budget, line by line');

      hostile = await comment(storyA, rana.token, HOSTILE);
      onB = await comment(storyB, yossi.token, 'A fair point about the budget.');
      deleted = await comment(storyB, rana.token, 'This one will be removed.');

      const rejected = await act(`/comments/${hostile}/reject`, admin, { reason: 'OFF_TOPIC' });
      rejectEntry = rejected.action.id;
      await act(`/comments/${onB}/approve`, mona.token);
      await act(`/actions/${rejectEntry}/undo`, admin);
      await act(`/comments/${deleted}/delete`, mona.token);
      await act(`/users/${yossi.id}/ban`, mona.token, { reason: 'Spam, again & again <b>' });
    });
    after(async () => app.close());

    it('names the moderator, the comment, its author and story, and the reason code', async () => {
      const entries = await audit('');
      const reject = entries.find((entry) => entry.id === rejectEntry);
      assert.ok(reject, 'the rejection is listed');
      assert.equal(reject.action, 'comment.reject');
      assert.deepEqual(reject.actor, { id: adminId, name: 'Admin', erased: false });
      assert.equal(reject.reason, 'OFF_TOPIC');
      assert.equal(reject.comment?.id, hostile);
      assert.equal(reject.comment?.deleted, false);
      assert.deepEqual(reject.user, { id: rana.id, name: 'Rana', erased: false });
      assert.deepEqual(reject.story, {
        id: storyA,
        title: 'Beijing talks resume',
        url: `${SITE_ORIGIN}/news/talks`,
      });
    });

    it('returns hostile comment text as plain text, never as markup', async () => {
      const [reject] = await audit(`commentId=${hostile}&action=comment.reject`);
      const excerpt = reject?.comment?.excerpt ?? '';
      // The Markdown was rendered (bold is plain words now) and its escaped HTML turned back into
      // the characters the reader typed: the dashboard shows them as text.
      assert.equal(
        excerpt,
        '<script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes" bold',
      );
      assert.doesNotMatch(excerpt, /&lt;|&amp;/);
    });

    it('says which entry an undo took back, and by whom', async () => {
      const [undo] = await audit('action=comment.reject.undo');
      assert.ok(undo);
      assert.equal(undo.undoOf?.id, rejectEntry);
      assert.equal(undo.undoOf?.action, 'comment.reject');
      assert.equal(undo.undoOf?.actor?.name, 'Admin');
      assert.equal(undo.comment?.id, hostile);
    });

    it('marks deleted comments, and names the account of an action on an account', async () => {
      const [removal] = await audit(`action=comment.delete&commentId=${deleted}`);
      assert.deepEqual(removal?.comment, {
        id: deleted,
        excerpt: null,
        deleted: true,
        status: 'deleted',
      });
      assert.equal(removal?.user?.name, 'Rana');
      const [ban] = await audit('action=user.ban');
      assert.equal(ban?.comment, null);
      assert.deepEqual(ban?.user, { id: yossi.id, name: 'Yossi', erased: false });
      assert.equal(ban?.reason, 'Spam, again & again <b>');
      assert.equal(ban?.actor?.name, 'Mona Moderator');
    });

    it('filters by moderator, action and story, alone and together', async () => {
      const byMona = await audit(`actorId=${mona.id}`);
      assert.deepEqual(byMona.map((e) => e.action).sort(), [
        'comment.approve',
        'comment.delete',
        'user.ban',
      ]);
      const automatic = await audit('actorId=pipeline');
      assert.ok(automatic.length >= 3, 'the pipeline published the three comments');
      for (const entry of automatic) {
        assert.equal(entry.actor, null);
        assert.match(entry.action, /^pipeline\./);
      }
      const onStoryB = await audit(`storyId=${storyB}`);
      assert.ok(onStoryB.length > 0);
      for (const entry of onStoryB) assert.equal(entry.story?.id, storyB);
      assert.ok(onStoryB.some((e) => e.comment?.id === onB));
      assert.ok(!onStoryB.some((e) => e.comment?.id === hostile));
      const monaOnB = await audit(`actorId=${mona.id}&storyId=${storyB}`);
      assert.deepEqual(monaOnB.map((e) => e.action).sort(), ['comment.approve', 'comment.delete']);
      const approvalsOnB = await audit(
        `actorId=${mona.id}&storyId=${storyB}&action=comment.approve`,
      );
      assert.deepEqual(
        approvalsOnB.map((e) => e.comment?.id),
        [onB],
      );
      assert.deepEqual(await audit(`actorId=${mona.id}&storyId=${storyA}`), []);
      assert.deepEqual(await audit(`storyId=${newId()}`), []);
    });

    it('refuses bad filter values with 400 JSON', async () => {
      for (const query of [
        'action=drop_table',
        "action=comment.reject'--",
        'action=',
        'actorId=robot',
        `actorId=${encodeURIComponent("' OR 1=1 --")}`,
        'storyId=1%20OR%201%3D1',
        `storyId=${'A'.repeat(300)}`,
        'moderator=someone',
      ]) {
        const response = await app.request({
          method: 'GET',
          url: `/api/v1/admin/audit?${query}`,
          token: admin,
        });
        assert.equal(response.status, 400, `${query} → ${response.status} ${response.text}`);
        assert.equal(typeof response.json?.error?.code, 'string', query);
      }
    });

    it('shows a moderator of another site nothing of this site, filters or not', async () => {
      for (const query of [
        '',
        `storyId=${storyA}`,
        `storyId=${storyB}`,
        `actorId=${mona.id}`,
        `actorId=${adminId}`,
        'action=comment.reject',
        'actorId=pipeline',
      ]) {
        const entries = await audit(query, foreign.token);
        for (const entry of entries) {
          assert.notEqual(entry.siteId, app.site.id, `${query}: ${entry.action}`);
          assert.ok(
            ![hostile, onB, deleted].includes(entry.comment?.id ?? ''),
            `${query}: ${entry.action} leaks a comment of this site`,
          );
        }
      }
      assert.deepEqual(await audit(`storyId=${storyA}`, foreign.token), []);
    });

    it('shows an erased author as erased, with no name', async () => {
      await eraseProfile(app.store.db, rana.id);
      const entries = await audit(`commentId=${hostile}`);
      assert.ok(entries.length >= 3);
      for (const entry of entries) {
        assert.deepEqual(entry.user, { id: rana.id, name: null, erased: true });
      }
    });
  });
}
