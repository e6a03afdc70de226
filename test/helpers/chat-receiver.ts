/**
 * A chat service's incoming webhooks on loopback, for tests of moderators' alerts: a real HTTP
 * server that keeps every POST (path, headers, JSON body) and answers as Slack does (`200 ok`), or
 * with the status a test asks for.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  path: string;
  headers: http.IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
  raw: string;
}

export interface ChatReceiver {
  /** `http://127.0.0.1:<port>`; hooks are any path under it. */
  origin: string;
  posts: ReceivedPost[];
  /** The posts made to one path. */
  to(path: string): ReceivedPost[];
  /** Answer every request with this status and body from now on. */
  answer(status: number, body?: string): void;
  close(): Promise<void>;
}

export async function startChatReceiver(): Promise<ChatReceiver> {
  const posts: ReceivedPost[] = [];
  let status = 200;
  let reply = 'ok';
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown = undefined;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      posts.push({ path: request.url ?? '', headers: request.headers, json, raw });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    posts,
    to: (path) => posts.filter((post) => post.path === path),
    answer(next, body = next < 300 ? 'ok' : 'error') {
      status = next;
      reply = body;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
