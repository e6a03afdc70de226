/**
 * The soak bench's plot, as a small hand-written SVG (no library): the Parley process's resident
 * memory and JS heap over the run, with the warm-up shaded and the fitted line after it; and below,
 * each kind's throughput per minute on a log scale (reads at 150/s and moderation at 2/s share
 * one axis that way). Written to docs/bench/ and shown in BENCHMARKS.md.
 */
import { SLOPE_LIMIT_MB, type SoakResult } from './soak.ts';

const WIDTH = 760;
const LEFT = 64;
const RIGHT = 24;
const PANEL_HEIGHT = 180;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const COLOURS = {
  rss: '#1f5fa8',
  heap: '#8a8f98',
  fit: '#c62828',
  read: '#1f77b4',
  post: '#ff7f0e',
  reaction: '#2ca02c',
  moderation: '#d62728',
  events: '#9467bd',
};

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const text = (x: number, y: number, content: string, attributes = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attributes}>${escape(content)}</text>`;

/** Round steps (1, 2 or 5 × 10^k) covering [0, max] in about `count` intervals. */
export function niceTicks(max: number, count: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const intervals = Math.ceil(max / step - 1e-9);
  return Array.from({ length: intervals + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

const label = (n: number) => (Math.abs(n) >= 1 || n === 0 ? String(n) : n.toPrecision(1));

/** A polyline through the points (skipping NaN values), or markers alone for a single point. */
function series(points: [number, number][], colour: string, dashed = false): string {
  const valid = points.filter(([, y]) => Number.isFinite(y));
  const dash = dashed ? ' stroke-dasharray="6 4"' : '';
  return valid.length > 1
    ? `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${valid.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`
    : '';
}

const markers = (points: [number, number][], colour: string, radius = 2.5) =>
  points
    .filter(([, y]) => Number.isFinite(y))
    .map(
      ([x, y]) =>
        `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${radius}" fill="${colour}"/>`,
    )
    .join('');

/** A row of legend entries (a short line and its name) starting at (x, y). */
function legend(
  x: number,
  y: number,
  entries: { name: string; colour: string; dashed?: boolean }[],
) {
  let at = x;
  return entries
    .map(({ name, colour, dashed }) => {
      const dash = dashed ? ' stroke-dasharray="6 4"' : '';
      const entry =
        `<line x1="${at}" y1="${y - 4}" x2="${at + 22}" y2="${y - 4}" stroke="${colour}" stroke-width="2"${dash}/>` +
        text(at + 27, y, name, 'font-size="12" fill="#333"');
      at += 34 + name.length * 6.4;
      return entry;
    })
    .join('');
}

/** The x axis (minutes) along the bottom of a panel whose plot area ends at `bottom`. */
function minutesAxis(bottom: number, minutes: number, x: (m: number) => number): string {
  const ticks = niceTicks(minutes, Math.min(10, Math.max(2, Math.ceil(minutes))));
  return [
    `<line x1="${LEFT}" y1="${bottom}" x2="${WIDTH - RIGHT}" y2="${bottom}" stroke="#333"/>`,
    ...ticks
      .filter((m) => m <= minutes + 1e-9)
      .map(
        (m) =>
          `<line x1="${x(m).toFixed(1)}" y1="${bottom}" x2="${x(m).toFixed(1)}" y2="${bottom + 4}" stroke="#333"/>` +
          text(x(m), bottom + 17, label(m), 'font-size="11" fill="#333" text-anchor="middle"'),
      ),
    text(
      (LEFT + WIDTH - RIGHT) / 2,
      bottom + 33,
      'minutes into the run',
      'font-size="12" fill="#333" text-anchor="middle"',
    ),
  ].join('');
}

/** Horizontal grid lines with their labels on the left axis, and the axis's title. */
function valueAxis(
  top: number,
  bottom: number,
  ticks: number[],
  y: (v: number) => number,
  title: string,
): string {
  return [
    `<line x1="${LEFT}" y1="${top}" x2="${LEFT}" y2="${bottom}" stroke="#333"/>`,
    ...ticks.map(
      (v) =>
        `<line x1="${LEFT}" y1="${y(v).toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y(v).toFixed(1)}" stroke="#e3e3e3"/>` +
        text(LEFT - 6, y(v) + 4, label(v), 'font-size="11" fill="#333" text-anchor="end"'),
    ),
    text(
      16,
      (top + bottom) / 2,
      title,
      `font-size="12" fill="#333" text-anchor="middle" transform="rotate(-90 16 ${((top + bottom) / 2).toFixed(1)})"`,
    ),
  ].join('');
}

function memoryPanel(result: SoakResult, top: number, x: (m: number) => number): string {
  const bottom = top + PANEL_HEIGHT;
  const highest = Math.max(
    ...result.samples.map((s) => s.rssMb),
    ...result.samples.map((s) => s.heapMb).filter(Number.isFinite),
  );
  const ticks = niceTicks(highest * 1.1, 5);
  const ceiling = ticks.at(-1) as number;
  const y = (mb: number) => bottom - (mb / ceiling) * PANEL_HEIGHT;
  const warmup = result.warmupSeconds / 60;
  const parts = [
    `<rect x="${LEFT}" y="${top}" width="${(x(warmup) - LEFT).toFixed(1)}" height="${PANEL_HEIGHT}" fill="#f1f1f1"/>`,
    text(LEFT + 6, top + 14, 'warm-up', 'font-size="11" fill="#777"'),
    valueAxis(top, bottom, ticks, y, 'MB'),
    series(
      result.samples.map((s) => [x(s.t / 60), y(s.heapMb)]),
      COLOURS.heap,
      true,
    ),
    series(
      result.samples.map((s) => [x(s.t / 60), y(s.rssMb)]),
      COLOURS.rss,
    ),
  ];
  const { fit } = result;
  if (fit && result.slopeMbPer10Min !== null) {
    const end = result.samples.at(-1)?.t ?? result.warmupSeconds;
    const at = (t: number) => fit.intercept + fit.slope * t;
    parts.push(
      `<line x1="${x(warmup).toFixed(1)}" y1="${y(at(result.warmupSeconds)).toFixed(1)}" x2="${x(end / 60).toFixed(1)}" y2="${y(at(end)).toFixed(1)}" stroke="${COLOURS.fit}" stroke-width="1.5" stroke-dasharray="3 3"/>`,
    );
  }
  parts.push(minutesAxis(bottom, result.minutes, x));
  return parts.join('\n');
}

function throughputPanel(result: SoakResult, top: number, x: (m: number) => number): string {
  const bottom = top + PANEL_HEIGHT;
  const kinds = [
    { key: 'read', name: 'reads/s', pick: (r: SoakResult['rows'][number]) => r.perSecond.read },
    { key: 'post', name: 'posts/s', pick: (r: SoakResult['rows'][number]) => r.perSecond.post },
    {
      key: 'reaction',
      name: 'reactions/s',
      pick: (r: SoakResult['rows'][number]) => r.perSecond.reaction,
    },
    {
      key: 'moderation',
      name: 'moderation decisions/s',
      pick: (r: SoakResult['rows'][number]) => r.perSecond.moderation,
    },
    {
      key: 'events',
      name: 'live events read/s',
      pick: (r: SoakResult['rows'][number]) => r.events / r.seconds,
    },
  ] as const;
  const values = result.rows.flatMap((r) => kinds.map((k) => k.pick(r))).filter((v) => v > 0);
  const low = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(1, ...values))));
  const high = 10 ** Math.ceil(Math.log10(Math.max(10, ...values)));
  const y = (v: number) =>
    bottom - (Math.log10(Math.max(low, v) / low) / Math.log10(high / low)) * PANEL_HEIGHT;
  const decades: number[] = [];
  for (let v = low; v <= high * 1.0001; v *= 10) decades.push(Number(v.toPrecision(6)));
  const middle = (r: SoakResult['rows'][number]) => r.minute - 1 + r.seconds / 120;
  return [
    valueAxis(top, bottom, decades, y, 'per second (log scale)'),
    ...kinds.map(({ key, pick }) => {
      const points = result.rows.map((r): [number, number] => [x(middle(r)), y(pick(r))]);
      // Posts and reactions have the same target: reactions dashed, over posts' larger dots.
      const dashed = key === 'reaction';
      return (
        series(points, COLOURS[key], dashed) +
        markers(points, COLOURS[key], key === 'post' ? 4 : 2.5)
      );
    }),
    minutesAxis(bottom, result.minutes, x),
  ].join('\n');
}

export function soakSvg(result: SoakResult): string {
  const x = (minutes: number) => LEFT + (minutes / result.minutes) * (WIDTH - LEFT - RIGHT);
  const memoryTop = 70;
  const throughputTop = memoryTop + PANEL_HEIGHT + 104;
  const height = throughputTop + PANEL_HEIGHT + 44;
  const { rates } = result;
  const slope =
    result.slopeMbPer10Min === null
      ? 'no fit'
      : `${result.slopeMbPer10Min >= 0 ? '+' : ''}${result.slopeMbPer10Min.toFixed(1)} MB per 10 min after the warm-up (limit ${SLOPE_LIMIT_MB})`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(
      LEFT,
      22,
      `Soak on ${result.engine}, ${result.minutes} min: ${rates.read} reads, ${rates.post} posts, ${rates.reaction} reactions, ${rates.moderation} decisions a second, ${result.streams} streams`,
      'font-size="13" font-weight="600" fill="#111"',
    ),
    text(LEFT, 48, `Parley's memory: ${slope}`, 'font-size="12" fill="#333"'),
    legend(LEFT, 64, [
      { name: 'resident (RSS)', colour: COLOURS.rss },
      { name: 'JS heap in use', colour: COLOURS.heap, dashed: true },
      { name: 'least-squares fit', colour: COLOURS.fit, dashed: true },
    ]),
    memoryPanel(result, memoryTop, x),
    text(LEFT, throughputTop - 30, 'Throughput, per minute', 'font-size="12" fill="#333"'),
    legend(LEFT, throughputTop - 8, [
      { name: 'reads', colour: COLOURS.read },
      { name: 'posts', colour: COLOURS.post },
      { name: 'reactions', colour: COLOURS.reaction, dashed: true },
      { name: 'moderation decisions', colour: COLOURS.moderation },
      { name: 'live events read', colour: COLOURS.events },
    ]),
    throughputPanel(result, throughputTop, x),
    '</svg>',
    '',
  ].join('\n');
}
