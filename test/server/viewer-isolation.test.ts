/**
 * Signed-in readers' thread pages are made from everyone's cached bytes with their own marks cut
 * in, and kept per reader (src/server/viewer-page.ts). Nothing of one reader's may reach another:
 * twenty readers, each with reactions, a report, an own published comment, a comment awaiting
 * review and a rejected one on the same story, read it at once over real HTTP with anonymous
 * readers among them, in rounds with writes between them (reactions given and taken back,
 * reports, posts, edits, deletions, moderators' decisions). Every answer is checked field by field
 * against what the database says of that reader; ETags are swapped between readers, and 304s are
 * only accepted when the bytes the reader already holds are right for them; the headers keep
 * shared caches from storing a signed-in page.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../src/domain/ids.ts';
import { insertComment } from '../../src/store/comments.ts';
import { renderCommentHtml } from '../../src/domain/markdown.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const READERS = 20;
const ROUNDS = 6;

interface Reader {
  name: string;
  token: string;
  id: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the answers are arbitrary JSON */
type Json = any;

interface Answer {
  status: number;
  etag: string | null;
  cacheControl: string | null;
  vary: string | null;
  text: string;
}

for (const engine of await testEngines()) {
  describe(`signed-in readers' pages stay their own (${engine})`, () => {
    let app: TestApp;
    let base: string;
    let admin: string;
    let poster: Reader;
    let idle: Reader;
    const readers: Reader[] = [];
    let storyId: string;
    const posterComments: string[] = [];
    const ownComments = new Map<string, string[]>();

    const call = async (
      method: string,
      url: string,
      options: { token?: string; body?: unknown; ifNoneMatch?: string } = {},
    ): Promise<Answer & { json: Json }> => {
      const headers: Record<string, string> = { origin: SITE_ORIGIN };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${base}/api/v1${url}`, {
        method,
        headers,
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        etag: response.headers.get('etag'),
        cacheControl: response.headers.get('cache-control'),
        vary: response.headers.get('vary'),
        text,
        json: text ? JSON.parse(text) : undefined,
      };
    };

    const write = async (method: string, url: string, token: string, body?: unknown) => {
      const answer = await call(method, url, { token, body });
      assert.ok(answer.status < 300, `${method} ${url}: ${answer.status} ${answer.text}`);
      return answer.json;
    };

    const signup = async (name: string): Promise<Reader> => ({ name, ...(await app.signup(name)) });

    /** A comment of `author` awaiting review, as the pipeline would have held it. */
    const held = async (author: Reader, body: string) => {
      const comment = await insertComment(app.store.db, {
        siteId: app.site.id,
        storyId,
        parentId: null,
        threadParentId: null,
        depth: 0,
        authorId: author.id,
        body,
        html: renderCommentHtml(body),
        status: 'pending',
        moderation: {
          decidedBy: 'links',
          reasons: [{ code: 'LINK_UNKNOWN', message: 'held for a link' }],
          scores: {},
          tags: [],
        },
      });
      assert.ok(comment);
      return comment.id;
    };

    before(async () => {
      app = await createTestApp(engine, {
        PARLEY_WRITE_RATE_LIMIT: '100000',
        PARLEY_READ_RATE_LIMIT: '100000',
        // As in production: pages kept in memory, sessions briefly cached.
        PARLEY_THREAD_CACHE_TTL_MS: '60000',
        PARLEY_SESSION_CACHE_MS: '2000',
      });
      await app.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
      admin = await app.admin();
      storyId = await app.story();
      poster = await signup('Poster');
      idle = await signup('Idle reader');
      for (let i = 0; i < 30; i++) {
        const comment = await write('POST', `/stories/${storyId}/comments`, poster.token, {
          body: `Poster's comment ${i}`,
        });
        posterComments.push(comment.comment.id);
      }
      for (let i = 0; i < READERS; i++) readers.push(await signup(`Reader ${i}`));
      const recent = posterComments.slice(-12);
      for (const [i, reader] of readers.entries()) {
        // An own published comment: a top-level one, or a reply shown among the first replies.
        // (Its text looks like the JSON the page is cut at: cutting must not be fooled.)
        const own = await write(
          'POST',
          `/stories/${storyId}/comments`,
          reader.token,
          i % 2 === 0
            ? { body: `Reader ${i} <b>says</b> "hi" {"id":"x"} ],"nextCursor":"y" \\ ✓` }
            : { body: `Reader ${i} answers`, parentId: recent[i % recent.length] },
        );
        ownComments.set(reader.id, [own.comment.id]);
        // Reactions on some of the poster's comments, a report on one.
        for (const [k, id] of recent.entries()) {
          if ((k + i) % 3 === 0) await write('PUT', `/comments/${id}/reaction`, reader.token);
        }
        await write('POST', `/comments/${recent[(i * 5) % recent.length]}/reports`, reader.token, {
          reason: 'spam',
        });
        // One comment awaiting review, and one rejected with a note only its author reads.
        await held(reader, `Reader ${i}'s held comment`);
        const rejected = await held(reader, `Reader ${i}'s rejected comment`);
        await write('POST', `/admin/comments/${rejected}/reject`, admin, {
          reason: 'SPAM',
          note: `Note for reader ${i} only`,
        });
      }
    });
    after(async () => app?.close());

    /** What the database says of `viewer` (null: anonymous) for the comments on a page. */
    async function expectationOf(viewer: Reader | null, ids: string[]) {
      const db = app.store.db;
      const rows = ids.length
        ? await db
            .selectFrom('comments')
            .select(['id', 'author_id', 'body', 'created_at', 'deleted_at'])
            .where('id', 'in', ids)
            .execute()
        : [];
      const byId = new Map(rows.map((r) => [r.id, r]));
      if (!viewer) return { byId, reacted: new Set(), reported: new Set(), pending: [] };
      const reacted = ids.length
        ? await db
            .selectFrom('reactions')
            .select('comment_id')
            .where('user_id', '=', viewer.id)
            .where('comment_id', 'in', ids)
            .execute()
        : [];
      const reported = ids.length
        ? await db
            .selectFrom('reports')
            .select('comment_id')
            .where('user_id', '=', viewer.id)
            .where('comment_id', 'in', ids)
            .execute()
        : [];
      const pending = await db
        .selectFrom('comments')
        .select(['id', 'status', 'body', 'rejection_code', 'rejection_note'])
        .where('author_id', '=', viewer.id)
        .where('story_id', '=', storyId)
        .where('status', 'in', ['pending', 'rejected'])
        .orderBy('id', 'desc')
        .limit(20)
        .execute();
      return {
        byId,
        reacted: new Set(reacted.map((r) => r.comment_id)),
        reported: new Set(reported.map((r) => r.comment_id)),
        pending,
      };
    }

    const VIEWER_FIELDS = ['viewer', 'body', 'editableUntil', 'rejection', 'held'];
    /** A comment without what differs between readers. */
    const common = (comment: Json): Json => {
      const rest: Json = Object.fromEntries(
        Object.entries(comment).filter(([key]) => !VIEWER_FIELDS.includes(key)),
      );
      if (rest.replies) rest.replies = rest.replies.map(common);
      return rest;
    };

    /**
     * Checks one reader's page: everything everyone sees equals the anonymous page of the same
     * round, and what only they see equals the database, comment by comment.
     */
    async function check(viewer: Reader | null, page: Json, anonymous: Json, what: string) {
      assert.deepEqual(
        page.comments.map(common),
        anonymous.comments.map(common),
        `${what}: the shared part is everyone's`,
      );
      assert.deepEqual(page.story, anonymous.story, `${what}: story`);
      assert.equal(page.nextCursor, anonymous.nextCursor, `${what}: nextCursor`);
      assert.equal(page.featuredCount, anonymous.featuredCount, `${what}: featuredCount`);
      const shown: Json[] = page.comments.flatMap((c: Json) => [c, ...c.replies]);
      const expected = await expectationOf(
        viewer,
        shown.map((c) => c.id),
      );
      const windowMs = app.config.editWindowSeconds * 1000;
      for (const comment of shown) {
        const row = expected.byId.get(comment.id);
        assert.ok(row, `${what}: ${comment.id} is in the database`);
        const own = viewer !== null && row.author_id === viewer.id;
        const deleted = row.deleted_at !== null;
        const label = `${what}: comment ${comment.id}`;
        assert.deepEqual(
          comment.viewer,
          {
            reacted: expected.reacted.has(comment.id),
            reported: expected.reported.has(comment.id),
            own,
          },
          `${label}: marks`,
        );
        assert.equal(comment.body, own && !deleted ? row.body : undefined, `${label}: source`);
        const closes = new Date(row.created_at).getTime() + windowMs;
        assert.equal(
          comment.editableUntil,
          own && !deleted && closes > Date.now() ? new Date(closes).toISOString() : null,
          `${label}: edit window`,
        );
        assert.equal(comment.rejection, undefined, `${label}: no rejection on the page`);
        assert.equal(comment.held, undefined, `${label}: no held reasons on the page`);
      }
      assert.deepEqual(
        page.pending.map((c: Json) => ({
          id: c.id,
          status: c.status,
          body: c.body,
          own: c.viewer.own,
          rejection: c.rejection ?? null,
          held: c.held ?? null,
        })),
        expected.pending.map((row) => ({
          id: row.id,
          status: row.status,
          body: row.body,
          own: true,
          rejection:
            row.status === 'rejected'
              ? { code: row.rejection_code, note: row.rejection_note }
              : null,
          held: row.status === 'pending' ? { reasons: ['LINK_UNKNOWN'] } : null,
        })),
        `${what}: pending`,
      );
    }

    const assertPrivate = (answer: Answer, what: string) => {
      assert.match(answer.cacheControl ?? '', /\bprivate\b/, `${what}: Cache-Control private`);
      assert.doesNotMatch(answer.cacheControl ?? '', /\bpublic\b|s-maxage/, what);
      assert.match(answer.vary ?? '', /authorization/i, `${what}: Vary: Authorization`);
      assert.ok(answer.etag, `${what}: an ETag`);
    };

    /** Writes between rounds, through the API like a reader's and a moderator's. */
    async function writesOf(round: number) {
      const page = (await call('GET', `/stories/${storyId}/comments`)).json;
      const shownIds: string[] = page.comments
        .flatMap((c: Json) => [c, ...c.replies])
        .filter((c: Json) => !c.deleted)
        .map((c: Json) => c.id);
      for (const [i, reader] of readers.entries()) {
        if ((i + round) % 4 !== 0) continue;
        const own = new Set(ownComments.get(reader.id));
        const others = shownIds.filter((id) => !own.has(id));
        const target = others[(i + round * 7) % others.length] as string;
        const mine = (await expectationOf(reader, [target])).reacted.has(target);
        await write(mine ? 'DELETE' : 'PUT', `/comments/${target}/reaction`, reader.token);
        const reportable = others[(i * 3 + round) % others.length] as string;
        const reported = await call('POST', `/comments/${reportable}/reports`, {
          token: reader.token,
          body: { reason: 'abuse' },
        });
        assert.ok([201, 409].includes(reported.status), reported.text);
        switch (round % 3) {
          case 0: {
            const posted = await write('POST', `/stories/${storyId}/comments`, reader.token, {
              body: `Reader ${i}, round ${round}`,
            });
            ownComments.get(reader.id)?.push(posted.comment.id);
            break;
          }
          case 1: {
            const id = ownComments.get(reader.id)?.[0] as string;
            await write('PATCH', `/comments/${id}`, reader.token, {
              body: `Reader ${i} edited in round ${round}`,
            });
            break;
          }
          default: {
            const pending = (await expectationOf(reader, [])).pending;
            const waiting = pending.find((c) => c.status === 'pending');
            if (waiting) {
              await write('POST', `/admin/comments/${waiting.id}/approve`, admin);
              ownComments.get(reader.id)?.push(waiting.id);
            }
            const mine = ownComments.get(reader.id) ?? [];
            const id = mine.length > 1 ? mine.pop() : undefined;
            if (id) await write('DELETE', `/comments/${id}`, reader.token);
            await held(reader, `Reader ${i}, held again in round ${round}`);
          }
        }
      }
      await write('POST', `/stories/${storyId}/comments`, poster.token, {
        body: `Poster, round ${round}`,
      });
    }

    for (const query of ['', '?sort=oldest&limit=10']) {
      it(`answers each reader with their own marks only, round after round${query ? ` (${query})` : ''}`, async () => {
        const url = `/stories/${storyId}/comments${query}`;
        const holding = new Map<string, Answer>();
        for (let round = 0; round < ROUNDS; round++) {
          if (round > 0) await writesOf(round);
          // Everyone at once: each reader sends the ETag of what they hold, then another reader's;
          // anonymous readers send signed-in readers' ETags.
          const everyone = [...readers, idle];
          const [mine, swapped, anonymous] = await Promise.all([
            Promise.all(
              everyone.map((r) =>
                call('GET', url, { token: r.token, ifNoneMatch: holding.get(r.id)?.etag ?? '' }),
              ),
            ),
            Promise.all(
              everyone.map((r, i) => {
                const other = everyone[(i + 1) % everyone.length] as Reader;
                return call('GET', url, {
                  token: r.token,
                  ifNoneMatch: holding.get(other.id)?.etag ?? '',
                });
              }),
            ),
            Promise.all(
              [...readers.slice(0, 5), null].map((r) =>
                call('GET', url, { ifNoneMatch: r ? (holding.get(r.id)?.etag ?? '') : '' }),
              ),
            ),
          ]);
          const plain = anonymous.at(-1) as Answer & { json: Json };
          // Readers 0-4's ETags were sent by anonymous readers 0-4.
          assert.equal(plain.status, 200);
          assert.match(plain.vary ?? '', /authorization/i, 'anonymous pages vary by Authorization');
          assert.doesNotMatch(plain.cacheControl ?? '', /\bpublic\b|s-maxage/);
          assert.equal(plain.json.pending.length, 0);
          for (const [i, answer] of anonymous.entries()) {
            const what = `round ${round}, anonymous reader ${i}`;
            assert.ok([200, 304].includes(answer.status), what);
            // A 304 leaves them with the bytes they hold: a signed-in reader's, whose ETag they sent.
            const owner = readers[i];
            const text =
              answer.status === 304 && owner
                ? (holding.get(owner.id)?.text as string)
                : answer.text;
            await check(null, JSON.parse(text), plain.json, what);
          }
          for (const [i, reader] of everyone.entries()) {
            const other = everyone[(i + 1) % everyone.length] as Reader;
            for (const [answer, had, kind] of [
              [mine[i], holding.get(reader.id), 'own ETag'],
              [swapped[i], holding.get(other.id), "another reader's ETag"],
            ] as const) {
              const what = `round ${round}, ${reader.name} (${kind})`;
              assert.ok(answer && [200, 304].includes(answer.status), what);
              assertPrivate(answer, what);
              const text = answer.status === 304 ? (had?.text as string) : answer.text;
              await check(reader, JSON.parse(text), plain.json, what);
            }
            const fresh = mine[i] as Answer;
            if (fresh.status === 200) holding.set(reader.id, fresh);
          }
          // A reader with nothing on the page gets everyone's bytes; one with marks does not.
          assert.equal(holding.get(idle.id)?.text, plain.text, `round ${round}: idle reader`);
          assert.notEqual(holding.get(readers[0]?.id as string)?.text, plain.text);
        }
      });
    }

    it('shows a reader who had nothing on the story what they do there at once', async () => {
      const reader = await signup('Newcomer');
      const url = `/stories/${storyId}/comments`;
      const anonymous = await call('GET', url);
      const first = await call('GET', url, { token: reader.token });
      assert.equal(first.text, anonymous.text, 'nothing on the story: everyone’s page');
      assertPrivate(first, 'newcomer');
      const target = first.json.comments.find((c: Json) => c.author && !c.deleted).id;
      await write('PUT', `/comments/${target}/reaction`, reader.token);
      const reacted = await call('GET', url, { token: reader.token });
      await check(reader, reacted.json, (await call('GET', url)).json, 'after reacting');
      assert.equal(reacted.json.comments.find((c: Json) => c.id === target).viewer.reacted, true);
      const posted = await write('POST', `/stories/${storyId}/comments`, reader.token, {
        body: 'My first comment here',
      });
      const after = await call('GET', url, { token: reader.token });
      await check(reader, after.json, (await call('GET', url)).json, 'after posting');
      assert.equal(after.json.comments[0].id, posted.comment.id);
      assert.equal(after.json.comments[0].viewer.own, true);
      assert.equal(after.json.comments[0].body, 'My first comment here');
    });

    it('keeps a mark made through another process its maker’s own, missing no longer than the page', async () => {
      // Page marks are read once per page for all its readers: a reader who reacts, reports or
      // comments through another process (straight into the database here, with no change told
      // to this one) is not among them until the page is read again. Meanwhile they must see no
      // one else's marks, and others must not see theirs.
      const newcomer = await signup('Other-process reader');
      const url = `/stories/${storyId}/comments`;
      const anonymous = await call('GET', url);
      const [somebody] = readers as [Reader];
      assert.equal((await call('GET', url, { token: newcomer.token })).text, anonymous.text);
      const before = await call('GET', url, { token: somebody.token });
      await check(somebody, before.json, anonymous.json, 'a reader with marks, before');
      const shown: Json[] = anonymous.json.comments.flatMap((c: Json) => [c, ...c.replies]);
      const target = shown.find((c: Json) => !c.deleted && c.author)?.id as string;
      const now = new Date().toISOString();
      const db = app.store.db;
      await db
        .insertInto('reactions')
        .values({ comment_id: target, user_id: newcomer.id, created_at: now })
        .execute();
      await db
        .insertInto('reports')
        .values({
          id: newId(),
          comment_id: target,
          user_id: newcomer.id,
          reason: 'spam',
          note: null,
          created_at: now,
        })
        .execute();
      const waiting = await held(newcomer, 'Held through another process');
      // The page is as it was for everyone (its TTL has not passed): so is theirs.
      const stale = await call('GET', url, { token: newcomer.token });
      assert.equal(stale.text, anonymous.text, 'their marks wait for the page to be read again');
      assert.ok(
        stale.json.comments
          .flatMap((c: Json) => [c, ...c.replies])
          .every((c: Json) => !c.viewer.reacted && !c.viewer.reported && !c.viewer.own),
        'nobody else’s marks',
      );
      assert.equal(
        (await call('GET', url, { token: somebody.token })).text,
        before.text,
        'another reader’s page is theirs alone',
      );
      // The page read again (here because the story changed; in production also once its TTL
      // passed): their marks are read with it.
      await write('POST', `/stories/${storyId}/comments`, poster.token, { body: 'Poster again' });
      const plain = await call('GET', url);
      const fresh = await call('GET', url, { token: newcomer.token });
      await check(newcomer, fresh.json, plain.json, 'after the page was read again');
      const mine = fresh.json.comments
        .flatMap((c: Json) => [c, ...c.replies])
        .find((c: Json) => c.id === target);
      assert.deepEqual(mine?.viewer, { reacted: true, reported: true, own: false });
      assert.deepEqual(
        fresh.json.pending.map((c: Json) => c.id),
        [waiting],
      );
      const other = await call('GET', url, { token: somebody.token });
      await check(somebody, other.json, plain.json, 'a reader with marks, after');
    });

    it('forgets a reader’s answer when they report, so the report shows at once', async () => {
      const reader = await signup('Reporter');
      const url = `/stories/${storyId}/comments`;
      const before = (await call('GET', url, { token: reader.token })).json;
      const target = before.comments.find((c: Json) => !c.viewer.reported && c.author)?.id;
      assert.ok(target);
      await write('POST', `/comments/${target}/reports`, reader.token, { reason: 'spam' });
      const after = (await call('GET', url, { token: reader.token })).json;
      assert.equal(
        after.comments.find((c: Json) => c.id === target).viewer.reported,
        true,
        'the report is on their page',
      );
    });
  });
}
