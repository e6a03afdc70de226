/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps what it receives, for
 * tests that send mail through Parley's job queue and follow the links in it. It requires a user
 * name and password (so the test proves the credentials in SMTP_URL are used), can be told to
 * refuse recipients with a temporary error (or a permanent one: a hard bounce), and decodes enough
 * MIME to read a message: headers (RFC 2047 words), the text and HTML parts (base64 or
 * quoted-printable, UTF-8).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMessage {
  /** The envelope: MAIL FROM and RCPT TO as the client sent them. */
  envelope: { from: string; to: string[] };
  /** The user the client authenticated as. */
  user: string | undefined;
  raw: string;
  /** Header names lower-cased, values unfolded and decoded. */
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpPeer {
  /** `smtp://user:password@127.0.0.1:port`, for SMTP_URL. */
  url: string;
  port: number;
  user: string;
  password: string;
  messages: ReceivedMessage[];
  /** The first message (received or still to come) that matches. */
  waitForMessage(
    predicate?: (message: ReceivedMessage) => boolean,
    timeoutMs?: number,
  ): Promise<ReceivedMessage>;
  /**
   * Refuse every recipient with `451 <text>` (a temporary failure), or with another code (550: a
   * hard bounce), until `accept()`.
   */
  refuse(text?: string, code?: number): void;
  accept(): void;
  close(): Promise<void>;
}

export async function startSmtpPeer(
  options: { user?: string; password?: string } = {},
): Promise<SmtpPeer> {
  const user = options.user ?? 'parley-mailer';
  const password = options.password ?? 'smtp secret p@ss';
  const messages: ReceivedMessage[] = [];
  const waiters = new Set<(message: ReceivedMessage) => void>();
  let refusal: { text: string; code: number } | null = null;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true, // loopback only
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid user name or password'));
      }
    },
    onRcptTo(_address, _session, callback) {
      if (refusal === null) return callback();
      callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const message = parseMessage(Buffer.concat(chunks).toString('utf8'), {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        });
        message.user = session.user;
        messages.push(message);
        for (const waiter of waiters) waiter(message);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    port,
    user,
    password,
    messages,
    waitForMessage(predicate = () => true, timeoutMs = 5000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (message: ReceivedMessage) => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(message);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`no matching message within ${timeoutMs} ms (${messages.length} received)`),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    refuse(text = 'Mailbox temporarily unavailable', code = 451) {
      refusal = { text, code };
    },
    accept() {
      refusal = null;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * The first web address in the message (its text part, else its HTML) whose path starts with
 * `pathPrefix`, e.g. `extractLink(message, '/account/verify')`.
 */
export function extractLink(message: ReceivedMessage, pathPrefix: string): string {
  const candidates = [
    ...message.text.matchAll(/https?:\/\/[^\s<>"']+/g),
    ...decodeEntities(message.html).matchAll(/https?:\/\/[^\s<>"']+/g),
  ].map((match) => match[0]);
  const link = candidates.find((candidate) => {
    try {
      return new URL(candidate).pathname.startsWith(pathPrefix);
    } catch {
      return false;
    }
  });
  if (!link) {
    throw new Error(`no link to ${pathPrefix} in "${message.subject}": ${candidates.join(' ')}`);
  }
  return link;
}

// MIME, as much as reading Parley's mail needs --------------------------------------------------

function parseMessage(raw: string, envelope: ReceivedMessage['envelope']): ReceivedMessage {
  const { headers } = splitHeaders(raw);
  const parts = leafParts(raw);
  const part = (type: string) => parts.find((p) => p.type === type)?.content ?? '';
  return {
    envelope,
    user: undefined,
    raw,
    headers,
    subject: headers.get('subject') ?? '',
    text: part('text/plain'),
    html: part('text/html'),
  };
}

function splitHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const end = /\r?\n\r?\n/.exec(raw);
  const head = end ? raw.slice(0, end.index) : raw;
  const body = end ? raw.slice(end.index + end[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      headers.set(
        line.slice(0, colon).trim().toLowerCase(),
        decodeWords(line.slice(colon + 1).trim()),
      );
    }
  }
  return { headers, body };
}

function leafParts(raw: string): Array<{ type: string; content: string }> {
  const { headers, body } = splitHeaders(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return [];
    const sections = body.split(`--${boundary}`).slice(1);
    const end = sections.findIndex((section) => section.startsWith('--'));
    return sections
      .slice(0, end === -1 ? undefined : end)
      .flatMap((section) => leafParts(section.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  return [{ type, content: decodeBody(body, encoding) }];
}

/** A part's content with its transfer encoding undone and SMTP's CRLF line ends made LF. */
function decodeBody(body: string, encoding: string): string {
  let decoded = body;
  if (encoding === 'base64') {
    decoded = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  } else if (encoding === 'quoted-printable') {
    decoded = quotedPrintableBytes(body.replace(/=\r?\n/g, '')).toString('utf8');
  }
  return decoded.replace(/\r\n/g, '\n');
}

function quotedPrintableBytes(text: string, underscoreIsSpace = false): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const hex = text.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (char === '_' && underscoreIsSpace) {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words; adjacent words are joined before decoding (a character may span two). */
function decodeWords(value: string): string {
  const out: string[] = [];
  let pending: Buffer[] = [];
  const flush = () => {
    if (pending.length) out.push(Buffer.concat(pending).toString('utf8'));
    pending = [];
  };
  const word = /=\?[^?]+\?([BbQq])\?([^?]*)\?=/g;
  let last = 0;
  for (let match = word.exec(value); match; match = word.exec(value)) {
    const between = value.slice(last, match.index);
    if (!(pending.length && /^\s*$/.test(between))) {
      flush();
      out.push(between);
    }
    const [, kind, text = ''] = match;
    pending.push(
      kind?.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : quotedPrintableBytes(text, true),
    );
    last = word.lastIndex;
  }
  flush();
  out.push(value.slice(last));
  return out.join('');
}

function decodeEntities(html: string): string {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
