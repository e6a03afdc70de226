/**
 * A publisher's webhook receiver, for tests: a real node:http server on 127.0.0.1 that keeps every
 * request it gets and checks its signature the way a receiver following the Standard Webhooks
 * specification would, with its own few lines (not Parley's src/webhooks/signing.ts): the key is
 * the base64 after `whsec_`, the HMAC-SHA256 is over `id.timestamp.body`, and any `v1,`
 * signature in the space-separated header may match. What it answers is up to the test.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signatures: string[];
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
  headers: http.IncomingHttpHeaders;
}

/** What the receiver does with a request: answer with a status (and body), or handle it itself. */
export type Answer =
  | { status: number; body?: string }
  | ((request: http.IncomingMessage, response: http.ServerResponse) => void);

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Decides the answer to each request (default 204). */
  answer: (webhook: ReceivedWebhook) => Answer;
  /** Waits until `predicate` holds of what was received (polling `drain` meanwhile). */
  waitFor(
    predicate: (received: ReceivedWebhook[]) => boolean,
    drain?: () => Promise<unknown>,
    timeoutMs?: number,
  ): Promise<void>;
  close(): Promise<void>;
}

/** The receiver's own check of one request against one secret. */
export function receiverVerifies(
  secret: string,
  webhook: Pick<ReceivedWebhook, 'id' | 'timestamp' | 'signatures' | 'body'>,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (Math.abs(nowSeconds - Number(webhook.timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${webhook.id}.${webhook.timestamp}.${webhook.body}`)
    .digest();
  return webhook.signatures.some((signature) => {
    if (!signature.startsWith('v1,')) return false;
    const given = Buffer.from(signature.slice(3), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const receiver: Receiver = {
    url: '',
    received,
    answer: () => ({ status: 204 }),
    async waitFor(predicate, drain, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until) {
          throw new Error(
            `the receiver did not get what was awaited (${received.length} requests)`,
          );
        }
        if (drain) await drain();
        await sleep(10);
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(request.headers[name] ?? '');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const webhook: ReceivedWebhook = {
        id: header('webhook-id'),
        timestamp: header('webhook-timestamp'),
        signatures: header('webhook-signature').split(' ').filter(Boolean),
        body,
        json,
        headers: request.headers,
      };
      received.push(webhook);
      const answer = receiver.answer(webhook);
      if (typeof answer === 'function') return answer(request, response);
      response.writeHead(answer.status, { 'content-type': 'text/plain' });
      response.end(answer.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
