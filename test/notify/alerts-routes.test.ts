/**
 * The alert settings API (GET/PUT /admin/sites/:siteId/alerts, POST …/alerts/test), on both
 * engines: each moderator reads and changes their own settings for a site they cover (defaults
 * until saved); bad input is a 400 naming the problem and changes nothing; the chat webhook's URL
 * is stored whole and only ever shown masked (and sending the masked form back keeps it); private
 * addresses are refused unless the operator allows them; the test alert reaches a real receiver
 * and the outbox, and says what the receiver answered. Readers get 403, strangers 401, moderators
 * of another site and unknown sites 404.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { maskChatUrl } from '../../src/notify/alerts.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { startChatReceiver, type ChatReceiver } from '../helpers/chat-receiver.ts';
import { testEngines } from '../helpers/engines.ts';

describe('maskChatUrl', () => {
  it('keeps the scheme, the host and the last four characters', () => {
    assert.equal(
      maskChatUrl('https://hooks.slack.com/services/T000/B000/XXXXsecretAbCd'),
      'https://hooks.slack.com/…AbCd',
    );
    assert.equal(maskChatUrl('http://127.0.0.1:8080/x/yz12'), 'http://127.0.0.1:8080/…yz12');
  });
});

for (const engine of await testEngines()) {
  describe(`alert settings API (${engine})`, () => {
    let app: TestApp;
    let chat: ChatReceiver;
    let other: Site;
    let mod: { token: string; id: string; email: string };
    let foreign: { token: string; id: string };
    let reader: { token: string; id: string };
    let url: string;

    const call = (
      method: 'GET' | 'PUT' | 'POST',
      path: string,
      token?: string,
      body?: unknown,
      siteId = app.site.id,
    ) =>
      app.request({
        method,
        url: `/api/v1/admin/sites/${siteId}/alerts${path}`,
        ...(token && { token }),
        ...(body !== undefined && { body }),
      });
    const stored = () =>
      app.store.db
        .selectFrom('moderator_alerts')
        .selectAll()
        .where('user_id', '=', mod.id)
        .where('site_id', '=', app.site.id)
        .executeTakeFirst();
    const setRole = (id: string, role: string, sites: string[] | null) =>
      app.store.db
        .updateTable('users')
        .set({ role: role as 'moderator', moderator_site_ids: sites && JSON.stringify(sites) })
        .where('id', '=', id)
        .execute();

    before(async () => {
      chat = await startChatReceiver();
      app = await createTestApp(engine, { PARLEY_WEBHOOK_ALLOW_PRIVATE: '1' });
      other = await insertSite(app.store.db, {
        name: 'Other News',
        allowedOrigins: ['https://other.example'],
        editWindowSeconds: 300,
        maxDepth: 3,
      });
      await app.sites.refresh();
      mod = await app.signup('Mina');
      await setRole(mod.id, 'moderator', [app.site.id]);
      foreign = await app.signup('Theo');
      await setRole(foreign.id, 'moderator', [other.id]);
      reader = await app.signup('Rana');
      url = `${chat.origin}/services/T1/B2/secret-token-WXYZ`;
    });
    after(async () => {
      await app.close();
      await chat.close();
    });

    it('shows the defaults until saved: everything off, mail as the channel', async () => {
      const response = await call('GET', '', mod.token);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json.alerts, {
        siteId: app.site.id,
        pending: 'off',
        reported: 'off',
        digestMinutes: 60,
        reportThreshold: 0,
        spikePerHour: 0,
        byEmail: true,
        email: mod.email,
        chatUrl: null,
        chatFormat: 'slack',
        digestSentAt: null,
        updatedAt: null,
      });
      assert.equal(await stored(), undefined, 'reading stores nothing');
    });

    it('saves changes, stores the chat URL whole and shows it masked', async () => {
      const response = await call('PUT', '', mod.token, {
        pending: 'immediate',
        reported: 'digest',
        digestMinutes: 15,
        reportThreshold: 3,
        spikePerHour: 200,
        chatUrl: url,
        chatFormat: 'discord',
      });
      assert.equal(response.status, 200, response.text);
      const alerts = response.json.alerts;
      assert.equal(alerts.chatUrl, `${chat.origin}/…WXYZ`);
      assert.ok(!response.text.includes('secret-token'), 'never shown back whole');
      assert.equal(alerts.pending, 'immediate');
      assert.equal(alerts.reported, 'digest');
      assert.equal(alerts.digestMinutes, 15);
      assert.equal(alerts.chatFormat, 'discord');
      assert.ok(alerts.digestSentAt, 'a digest turned on starts from now');
      const row = await stored();
      assert.equal(row?.chat_url, url);
      assert.equal(row?.report_threshold, 3);

      // Fields left out keep their value; the masked URL sent back keeps the stored one.
      const again = await call('PUT', '', mod.token, { byEmail: false, chatUrl: alerts.chatUrl });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.alerts.pending, 'immediate');
      assert.equal(again.json.alerts.byEmail, false);
      assert.equal((await stored())?.chat_url, url);
      const read = await call('GET', '', mod.token);
      assert.equal(read.json.alerts.chatUrl, `${chat.origin}/…WXYZ`);
      assert.ok(read.json.alerts.updatedAt);
    });

    it('refuses bad input with a 400 and changes nothing', async () => {
      const before = await stored();
      const bad: [unknown, string][] = [
        [{ pending: 'sometimes' }, 'VALIDATION_FAILED'],
        [{ reported: 1 }, 'VALIDATION_FAILED'],
        [{ digestMinutes: 0 }, 'VALIDATION_FAILED'],
        [{ digestMinutes: 1441 }, 'VALIDATION_FAILED'],
        [{ digestMinutes: 1.5 }, 'VALIDATION_FAILED'],
        [{ digestMinutes: '5' }, 'VALIDATION_FAILED'],
        [{ reportThreshold: -1 }, 'VALIDATION_FAILED'],
        [{ reportThreshold: 10_001 }, 'VALIDATION_FAILED'],
        [{ spikePerHour: 10_001 }, 'VALIDATION_FAILED'],
        [{ byEmail: 'yes' }, 'VALIDATION_FAILED'],
        [{ chatFormat: 'irc' }, 'VALIDATION_FAILED'],
        [{ chatUrl: 42 }, 'VALIDATION_FAILED'],
        [{ chatUrl: `https://hooks.example/${'x'.repeat(2000)}` }, 'VALIDATION_FAILED'],
        [{ colour: 'red' }, 'VALIDATION_FAILED'],
        [{ chatUrl: 'not a url' }, 'INVALID_URL'],
        [{ chatUrl: 'ftp://hooks.example/x' }, 'INVALID_URL'],
        [{ chatUrl: 'javascript:alert(1)' }, 'INVALID_URL'],
        [{ chatUrl: 'https://user:pass@hooks.example/x' }, 'INVALID_URL'],
      ];
      for (const [body, code] of bad) {
        const response = await call('PUT', '', mod.token, body);
        assert.equal(
          response.status,
          400,
          `${JSON.stringify(body).slice(0, 80)} → ${response.text}`,
        );
        assert.equal(response.json.error.code, code, JSON.stringify(body).slice(0, 80));
        assert.ok(response.json.error.message.length > 0);
      }
      const malformed = await app.request({
        method: 'PUT',
        url: `/api/v1/admin/sites/${app.site.id}/alerts`,
        token: mod.token,
        raw: '{"pending":',
      });
      assert.equal(malformed.status, 400);
      assert.deepEqual(await stored(), before);
    });

    it('refuses private addresses unless the operator allows them', async () => {
      app.config.webhooks.allowPrivate = false;
      try {
        for (const address of [
          'http://127.0.0.1:9/hook',
          'http://10.0.0.5/hook',
          'http://[::1]/hook',
          'http://localhost/hook',
          'http://169.254.169.254/latest',
        ]) {
          const response = await call('PUT', '', mod.token, { chatUrl: address });
          assert.equal(response.status, 400, `${address} → ${response.text}`);
          assert.equal(response.json.error.code, 'INVALID_URL');
          assert.match(response.json.error.message, /public address/);
        }
        const allowed = await call('PUT', '', mod.token, {
          chatUrl: 'https://hooks.example/services/abcd',
        });
        assert.equal(allowed.status, 200, allowed.text);
        assert.equal(allowed.json.alerts.chatUrl, 'https://hooks.example/…abcd');
      } finally {
        app.config.webhooks.allowPrivate = true;
      }
      const removed = await call('PUT', '', mod.token, { chatUrl: null });
      assert.equal(removed.json.alerts.chatUrl, null);
      assert.equal((await stored())?.chat_url, null);
    });

    it('sends a test alert on the saved channels and says what happened', async () => {
      const saved = await call('PUT', '', mod.token, {
        byEmail: true,
        chatUrl: url,
        chatFormat: 'slack',
      });
      assert.equal(saved.status, 200, saved.text);
      const response = await call('POST', '/test', mod.token);
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(
        response.json.results.map((r: { channel: string; ok: boolean }) => [r.channel, r.ok]),
        [
          ['email', true],
          ['chat', true],
        ],
      );
      assert.equal(response.json.results[1].status, 200);
      assert.ok(!response.text.includes('secret-token'));
      const [message] = chat.to('/services/T1/B2/secret-token-WXYZ');
      assert.ok(message);
      assert.equal(message.json.blocks[0].text.text, 'Test alert from Test News');
      const mail = await app.store.db
        .selectFrom('mail_outbox')
        .select(['to_address', 'template', 'subject'])
        .where('template', '=', 'moderator-alert')
        .execute();
      assert.deepEqual(
        mail.map((m) => m.to_address),
        [mod.email],
      );

      chat.answer(500, 'invalid_payload');
      const failing = await call('POST', '/test', mod.token);
      assert.equal(failing.status, 200);
      const chatResult = failing.json.results.find(
        (r: { channel: string }) => r.channel === 'chat',
      );
      assert.equal(chatResult.ok, false);
      assert.equal(chatResult.status, 500);
      assert.match(chatResult.detail, /answered 500: invalid_payload/);
      chat.answer(200);

      const off = await call('PUT', '', mod.token, { byEmail: false, chatUrl: null });
      assert.equal(off.status, 200);
      const nothing = await call('POST', '/test', mod.token);
      assert.equal(nothing.status, 400);
      assert.equal(nothing.json.error.code, 'VALIDATION_FAILED');
    });

    it('keeps each moderator to their own settings, on sites they cover', async () => {
      for (const [token, status] of [
        [undefined, 401],
        [reader.token, 403],
        [foreign.token, 404],
      ] as const) {
        for (const [method, path, body] of [
          ['GET', '', undefined],
          ['PUT', '', { pending: 'immediate' }],
          ['POST', '/test', undefined],
        ] as const) {
          const response = await call(method, path, token, body);
          assert.equal(response.status, status, `${method} ${path} → ${response.text}`);
        }
      }
      const missing = await call('GET', '', mod.token, undefined, '01ARZ3NDEKTSV4RRFFQ69G5FAV');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error.code, 'SITE_NOT_FOUND');
      // Another moderator of the site has settings of their own.
      const colleague = await app.signup('Colleague');
      await setRole(colleague.id, 'moderator', null);
      const theirs = await call('GET', '', colleague.token);
      assert.equal(theirs.status, 200);
      assert.equal(theirs.json.alerts.pending, 'off');
      assert.equal(theirs.json.alerts.chatUrl, null);
      assert.equal(theirs.json.alerts.email, colleague.email);
      const foreignRows = await app.store.db
        .selectFrom('moderator_alerts')
        .select('site_id')
        .where('user_id', '=', foreign.id)
        .execute();
      assert.deepEqual(foreignRows, [], 'nothing stored for a refused call');
    });
  });
}
