/**
 * The schema.org data of server-rendered threads against our validator
 * (test/helpers/structured-data.ts): the fragment's, the plain page's and the AMP page's
 * `DiscussionForumPosting` carry every required property, for a story with replies, a deleted
 * comment (left out, its reply kept) and one with no title, author or date known; and the
 * validator itself is shown failing, at the right place, on documents broken one way each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { jsonLdOf, validateDiscussion } from '../helpers/structured-data.ts';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- documents are edited freely below

describe('structured data of server-rendered threads', () => {
  let app: TestApp;
  let reader: { token: string };
  let storyId: string;
  let fragment: Doc;

  before(async () => {
    app = await createTestApp('sqlite', { PARLEY_WRITE_RATE_LIMIT: '1000' });
    reader = await app.signup('Rana');
    storyId = await app.story('structured');
    const post = async (body: string, parentId?: string) => {
      const response = await app.post(storyId, reader.token, body, parentId);
      assert.equal(response.status, 201, response.text);
      return response.json.comment.id as string;
    };
    const first = await post('A first comment with a [link](https://example.org).');
    await post('A reply to it.', first);
    const doomed = await post('Deleted later, after a reply.');
    await post('The reply that stays.', doomed);
    const deleted = await app.request({
      method: 'DELETE',
      url: `/api/v1/comments/${doomed}`,
      token: reader.token,
    });
    assert.equal(deleted.status, 200, deleted.text);
    const html = (await app.request({ method: 'GET', url: `/api/v1/stories/${storyId}/rendered` }))
      .text;
    const [doc] = jsonLdOf(html);
    fragment = doc as Doc;
  });
  after(async () => app.close());

  it('the fragment, the plain page and the AMP page pass the validator', async () => {
    assert.deepEqual(validateDiscussion(fragment), []);
    for (const url of [`/stories/${storyId}`, `/amp/stories/${storyId}`]) {
      const docs = jsonLdOf((await app.request({ method: 'GET', url })).text);
      assert.equal(docs.length, 1, url);
      assert.deepEqual(validateDiscussion(docs[0]), [], url);
    }
    // The deleted comment is left out; its reply is kept, at the posting's level.
    const texts = JSON.stringify(fragment);
    assert.ok(!texts.includes('Deleted later'));
    assert.ok(texts.includes('The reply that stays.'));
    // With no title, author or publication date known, the posting still has what it needs.
    assert.equal(fragment.author['@type'], 'Organization');
    assert.equal(fragment.author.name, 'Test News');
    assert.equal(fragment.headline, fragment.url);
    assert.ok(
      fragment.comment.every((c: Doc) => c.url.startsWith(`${fragment.url}#parley-comment-`)),
    );
  });

  it('fails documents broken one way each, saying where', () => {
    const broken = (change: (doc: Doc) => void): string[] => {
      const doc = structuredClone(fragment);
      change(doc);
      return validateDiscussion(doc).map((p) => `${p.path}: ${p.message}`);
    };
    const nested = fragment.comment.findIndex((c: Doc) => Array.isArray(c.comment));
    assert.ok(nested >= 0, 'a comment with a nested reply');

    assert.deepEqual(
      broken((doc) => delete doc.comment[0].author.name),
      ["comment[0].author.name: the author's name is required"],
    );
    assert.deepEqual(
      broken((doc) => delete doc.comment[nested].comment[0].text),
      [`comment[${nested}].comment[0].text: text (or an image or video) is required`],
    );
    assert.deepEqual(
      broken((doc) => (doc.comment[0].datePublished = 'yesterday')),
      ['comment[0].datePublished: must be an ISO 8601 date-time with a time zone'],
    );
    assert.deepEqual(
      broken((doc) => delete doc.datePublished),
      ['datePublished: is required'],
    );
    assert.deepEqual(
      broken((doc) => delete doc.author),
      ['author: author is required'],
    );
    assert.deepEqual(
      broken((doc) => (doc['@context'] = 'https://example.org')),
      ['@context: must be https://schema.org'],
    );
    assert.deepEqual(
      broken((doc) => (doc.comment[0]['@type'] = 'Review')),
      ['comment[0]: must be a Comment'],
    );
    assert.deepEqual(
      broken((doc) => (doc.comment[0].url = '#parley-comment-x')),
      ['comment[0].url: must be an absolute http(s) URL'],
    );
    assert.deepEqual(
      broken((doc) => (doc.comment[0].interactionStatistic.userInteractionCount = -1)),
      ['comment[0].interactionStatistic.userInteractionCount: must be a whole number, 0 or more'],
    );
    assert.deepEqual(
      broken((doc) => (doc.comment[0].author = { '@type': 'Thing', name: 'X' })),
      ['comment[0].author.@type: author must be a Person or Organization'],
    );
  });
});
