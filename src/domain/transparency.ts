/**
 * The transparency report (Digital Services Act, Articles 15 and 24; docs/dsa.md): what a period's
 * figures add up to, and the same as CSV for a spreadsheet. Pure: the store reads the figures.
 */
import { ParleyError } from './errors.ts';

const DAY_MS = 86_400_000;
/** The longest period one report covers: two years, so a yearly report over a leap year fits. */
export const MAX_PERIOD_DAYS = 731;

/** A period given as two calendar dates, both included: [from 00:00 UTC, the day after `to`). */
export function parsePeriod(from: string, to: string): { from: Date; to: Date; days: number } {
  const start = calendarDate(from, 'from');
  const end = calendarDate(to, 'to');
  if (end < start) {
    throw new ParleyError('VALIDATION_FAILED', '`to` must be the same day as `from` or later.');
  }
  const days = (end.getTime() - start.getTime()) / DAY_MS + 1;
  if (days > MAX_PERIOD_DAYS) {
    throw new ParleyError(
      'VALIDATION_FAILED',
      `A report covers at most ${MAX_PERIOD_DAYS} days; ask for a shorter period.`,
    );
  }
  return { from: start, to: new Date(end.getTime() + DAY_MS), days };
}

function calendarDate(value: string, field: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(`${value}T00:00:00.000Z`) : new Date(NaN);
  // 2026-02-30 parses to March: a date that does not round-trip does not exist.
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new ParleyError('VALIDATION_FAILED', `\`${field}\` must be a date such as 2026-01-31.`);
  }
  return date;
}

/** The median of some numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return Math.round(value);
}

export interface Figures {
  reports: { reason: string; n: number }[];
  decisions: { action: string; reason: string | null; n: number }[];
  appeals: { state: string; n: number }[];
  restrictions: { action: string; n: number }[];
  reportToDecision: number[];
  heldToDecision: number[];
  undecided: { reports: number; held: number };
}

export interface TransparencyReport {
  site: { id: string; name: string };
  period: { from: string; to: string };
  reports: { total: number; byReason: Record<string, number> };
  decisions: {
    total: number;
    automated: number;
    human: number;
    byAction: Record<string, number>;
    byReason: Record<string, number>;
  };
  appeals: { total: number; open: number; upheld: number; reversed: number; moot: number };
  /** Restrictions of accounts (suspensions, bans), apart from the decisions on comments. */
  restrictions: { total: number; suspensions: number; bans: number };
  medianSeconds: { reportToDecision: number | null; heldToDecision: number | null };
  undecided: { reports: number; held: number };
}

const add = (into: Record<string, number>, key: string, n: number) => {
  into[key] = (into[key] ?? 0) + n;
};

/**
 * A decision's reason as the report counts it: the code given, or the pipeline's first one; the
 * same for a person's and the pipeline's approvals and deletions.
 */
const reasonOf = (decision: { action: string; reason: string | null }): string => {
  if (decision.action.endsWith('.approve')) return 'none (published)';
  if (decision.action.endsWith('.delete')) return 'none (deleted)';
  return decision.reason?.split(',')[0]?.trim() || 'OTHER';
};

export function buildReport(
  site: { id: string; name: string },
  period: { from: string; to: string },
  figures: Figures,
): TransparencyReport {
  const reports: Record<string, number> = {};
  for (const r of figures.reports) add(reports, r.reason, r.n);
  const byAction: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  let automated = 0;
  let human = 0;
  for (const d of figures.decisions) {
    add(byAction, d.action, d.n);
    add(byReason, reasonOf(d), d.n);
    if (d.action.startsWith('pipeline.')) automated += d.n;
    else human += d.n;
  }
  const appeals = { total: 0, open: 0, upheld: 0, reversed: 0, moot: 0 };
  for (const a of figures.appeals) {
    appeals.total += a.n;
    if (a.state === 'open' || a.state === 'upheld' || a.state === 'reversed' || a.state === 'moot')
      appeals[a.state] += a.n;
  }
  const restrictions = { total: 0, suspensions: 0, bans: 0 };
  for (const r of figures.restrictions) {
    restrictions.total += r.n;
    if (r.action === 'user.suspend') restrictions.suspensions += r.n;
    if (r.action === 'user.ban') restrictions.bans += r.n;
  }
  const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);
  return {
    site,
    period,
    reports: { total: sum(reports), byReason: reports },
    decisions: { total: automated + human, automated, human, byAction, byReason },
    appeals,
    restrictions,
    medianSeconds: {
      reportToDecision: median(figures.reportToDecision),
      heldToDecision: median(figures.heldToDecision),
    },
    undecided: figures.undecided,
  };
}

/**
 * One cell of CSV. A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage
 * return before one) is prefixed with an apostrophe; a cell with a comma, quote or line break is
 * quoted (OWASP's advice on CSV injection).
 */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV (RFC 4180, CRLF): one figure a row, as section, item, value. */
export function reportCsv(report: TransparencyReport): string {
  const rows: (string | number | null)[][] = [['section', 'item', 'value']];
  rows.push(['site', 'id', report.site.id], ['site', 'name', report.site.name]);
  rows.push(['period', 'from', report.period.from], ['period', 'to', report.period.to]);
  rows.push(['reports', 'total', report.reports.total]);
  for (const [reason, n] of Object.entries(report.reports.byReason)) {
    rows.push(['reports by reason', reason, n]);
  }
  rows.push(
    ['decisions', 'total', report.decisions.total],
    ['decisions', 'automated', report.decisions.automated],
    ['decisions', 'human', report.decisions.human],
  );
  for (const [action, n] of Object.entries(report.decisions.byAction)) {
    rows.push(['decisions by action', action, n]);
  }
  for (const [reason, n] of Object.entries(report.decisions.byReason)) {
    rows.push(['decisions by reason', reason, n]);
  }
  for (const [state, n] of Object.entries(report.appeals)) rows.push(['appeals', state, n]);
  for (const [kind, n] of Object.entries(report.restrictions)) {
    rows.push(['account restrictions', kind, n]);
  }
  rows.push(
    ['median seconds', 'report to decision', report.medianSeconds.reportToDecision],
    ['median seconds', 'held to decision', report.medianSeconds.heldToDecision],
    ['undecided', 'reports', report.undecided.reports],
    ['undecided', 'held', report.undecided.held],
  );
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
