/**
 * What the server's log looks like, and who it is for. In production the log is JSON lines for a
 * log collector, a pair of lines per request as Fastify writes them. `parley start --demo` (what
 * `npm start` runs) is read by a person: in a terminal, one short line per request and warnings
 * in words (`pretty`); with its output sent elsewhere, JSON lines as in production but the request
 * lines at `debug`, so what is left is what the person needs (where to go, warnings, errors).
 * `PARLEY_LOG_FORMAT` chooses the format whatever the mode; a format chosen so is kept as is (JSON
 * with every request, or one line per request).
 *
 * The pretty printer is a few lines over pino's JSON (Fastify's logger), so it sees only what the
 * JSON log would carry: the request serialiser and the redaction rules (src/server/app.ts) apply
 * to both, and no secret can reach the terminal that the JSON log would not hold.
 */
import { Writable } from 'node:stream';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export type LogFormat = 'json' | 'pretty';

/** How requests are logged: Fastify's own pair of lines, or one line at `debug` or `info`. */
export type RequestLogging = 'fastify' | 'debug' | 'info';

export interface LogOutput {
  readonly format: LogFormat;
  readonly requests: RequestLogging;
}

/**
 * The log for a process: `configured` is PARLEY_LOG_FORMAT (unset: undefined); `demo` is
 * `start --demo`; `production` is NODE_ENV=production; `terminal` is whether stdout is a TTY.
 */
export function chooseLogOutput(options: {
  configured: LogFormat | undefined;
  demo: boolean;
  production: boolean;
  terminal: boolean;
}): LogOutput {
  const { configured, demo, production, terminal } = options;
  const forPerson = demo && !production;
  const format = configured ?? (forPerson && terminal ? 'pretty' : 'json');
  if (format === 'pretty') return { format, requests: 'info' };
  return { format, requests: forPerson && configured === undefined ? 'debug' : 'fastify' };
}

/**
 * Logs each request once, when it is answered, at the chosen level, with what the pretty printer
 * needs (method, path, status, duration); a 404 or 4xx is in that line, not one of its own.
 * Failures (5xx, a response that broke) are logged as errors as before.
 */
export class OneLinePerRequest extends LogController {
  readonly #level: 'debug' | 'info';

  constructor(level: 'debug' | 'info') {
    super();
    this.#level = level;
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else request.log[this.#level](fields, 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    // The request as its serialiser gives it, so a token in the query is redacted here too.
    request.log.debug({ req: request }, 'route not found');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
    else reply.log.debug({ res: reply, err: error }, error?.message);
  }
}

const LEVELS: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields every line carries, or that the printer shows in its own way. */
const OWN_FIELDS = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'reqId',
  'req',
  'res',
  'responseTime',
  'err',
]);

interface Painter {
  dim(text: string): string;
  level(level: number, text: string): string;
  status(status: number, text: string): string;
}

const plain: Painter = {
  dim: (text) => text,
  level: (_l, text) => text,
  status: (_s, text) => text,
};
const ansi = (code: number, text: string) => `\u001b[${code}m${text}\u001b[0m`;
const colours: Painter = {
  dim: (text) => ansi(2, text),
  level: (level, text) => (level >= 50 ? ansi(31, text) : level >= 40 ? ansi(33, text) : text),
  status: (status, text) =>
    status >= 500 ? ansi(31, text) : status >= 400 ? ansi(33, text) : ansi(32, text),
};

const twoDigits = (value: number) => String(value).padStart(2, '0');
const clock = (time: unknown) => {
  const date = typeof time === 'number' ? new Date(time) : new Date();
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
};

/**
 * Text from a log entry made safe for a terminal: control characters (an escape sequence in a
 * requested path or a header would otherwise move the cursor or recolour the screen) and bidi
 * controls become U+FFFD; line breaks are kept only where `keepLines`.
 */
const printable = (text: string, keepLines = false) =>
  text.replace(
    keepLines
      ? /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g
      : /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g,
    '\uFFFD',
  );

const shown = (value: unknown) => {
  const text = printable(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
};

/** One JSON log line in words: a request in one short line, anything else with its level. */
export function prettyLine(line: string, paint: Painter = plain): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null) return line;
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const time = paint.dim(clock(entry.time));
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  if (req?.method && res?.statusCode !== undefined && level < 50) {
    const ms = typeof entry.responseTime === 'number' ? entry.responseTime : 0;
    const status = paint.status(res.statusCode, String(res.statusCode));
    return `${time} ${shown(req.method)} ${shown(req.url ?? '')} ${status} ${paint.dim(`${ms.toFixed(1)} ms`)}`;
  }
  const extra = Object.entries(entry)
    .filter(([key]) => !OWN_FIELDS.has(key))
    .map(([key, value]) => `${key}=${shown(value)}`);
  if (req?.method) extra.unshift(`${shown(req.method)} ${shown(req.url ?? '')}`);
  const label = paint.level(level, (LEVELS[level] ?? String(level)).padEnd(5));
  const text = [`${time} ${label} ${printable(String(entry.msg ?? ''))}`, ...extra].join('  ');
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const detail = err && (level >= 50 ? err.stack : err.message);
  return detail && detail !== entry.msg
    ? `${text}\n  ${printable(detail, true).replace(/\n/g, '\n  ')}`
    : text;
}

/**
 * A stream for pino that writes each JSON line it receives to `out` as prettyLine makes it,
 * coloured when `out` is a terminal (and NO_COLOR is unset).
 */
export function prettyStream(
  out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Writable {
  const paint = out.isTTY && !process.env.NO_COLOR ? colours : plain;
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const text = lines
        .filter((line) => line !== '')
        .map((line) => `${prettyLine(line, paint)}\n`)
        .join('');
      if (text === '') return done();
      out.write(text);
      done();
    },
  });
}
