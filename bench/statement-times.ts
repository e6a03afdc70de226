/**
 * Where a write's database time goes, statement by statement: loaded into the write bench's
 * Parley process (bench/parley-server.ts) on SQLite, it times every call of every prepared
 * statement (better-sqlite3 runs them synchronously, so the time is the statement's own, the
 * commit's fsync included) and writes the totals per SQL text to a file when the process stops.
 * Two clock readings per statement: well under a microsecond of the hundreds a post costs.
 */
import fs from 'node:fs';
import SQLite from 'better-sqlite3';

export interface StatementTotals {
  [sql: string]: { calls: number; ns: number };
}

export function timeStatements(): { save(file: string): void } {
  const probe = new SQLite(':memory:');
  const prototype = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  const totals: StatementTotals = {};
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = prototype[method] as (...args: unknown[]) => unknown;
    prototype[method] = function (this: SQLite.Statement, ...args: unknown[]) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const total = (totals[this.source] ??= { calls: 0, ns: 0 });
        total.calls++;
        total.ns += Number(process.hrtime.bigint() - started);
      }
    };
  }
  return { save: (file) => fs.writeFileSync(file, JSON.stringify(totals)) };
}

export interface StatementRow {
  /** The statement's SQL, shortened to its verb and table. */
  statement: string;
  callsPerPost: number;
  usPerCall: number;
  usPerPost: number;
}

/** What each kind of statement cost per stored post, costliest first. */
export function perPost(totals: StatementTotals, posts: number): StatementRow[] {
  const rows = new Map<string, { calls: number; ns: number }>();
  for (const [sql, { calls, ns }] of Object.entries(totals)) {
    const key = summarise(sql);
    const row = rows.get(key) ?? { calls: 0, ns: 0 };
    row.calls += calls;
    row.ns += ns;
    rows.set(key, row);
  }
  return [...rows]
    .map(([statement, { calls, ns }]) => ({
      statement,
      callsPerPost: calls / posts,
      usPerCall: ns / 1000 / calls,
      usPerPost: ns / 1000 / posts,
    }))
    .sort((a, b) => b.usPerPost - a.usPerPost);
}

/**
 * `select … from "comments" where "author_id" = ? …` → `select comments (author_id)`: the verb, the
 * table and the columns it is looked up by, scalar subqueries left out (a query from a subquery is
 * described by that subquery); `+ join` when it joins other tables.
 */
function summarise(sql: string): string {
  const subqueries: string[] = [];
  let text = sql.replace(/\s+/g, ' ').trim();
  // Innermost parentheses first: subqueries become ‹n›, other groups lose their parentheses.
  for (let before = ''; before !== text;) {
    before = text;
    text = text.replace(/\(([^()]*)\)/g, (_, inner: string) => {
      if (!/^\s*select\b/i.test(inner)) return `‹${inner}›`;
      subqueries.push(inner);
      return `‹${subqueries.length - 1}›`;
    });
  }
  const verb = (/^(\w+)/.exec(text)?.[1] ?? '').toLowerCase();
  const fromSubquery = /\bfrom ‹(\d+)›/i.exec(text)?.[1];
  const source = fromSubquery === undefined ? text : (subqueries[Number(fromSubquery)] ?? '');
  const table =
    /^(?:insert into|update|delete from) "?(\w+)"?/i.exec(source)?.[1] ??
    /\bfrom "?(\w+)"?/i.exec(source)?.[1] ??
    '';
  const where = /\bwhere (.*?)(?: order by| limit| returning| on conflict|$)/i.exec(source)?.[1];
  const columns = where
    ? [
        ...new Set(
          [...where.matchAll(/(?:"?\w+"?\.)?"?(\w+)"?\s*(?:=|>=|<=|!=|>|<| is\b| in\b)/gi)].map(
            (m) => m[1],
          ),
        ),
      ]
    : [];
  return [
    verb,
    table,
    columns.length > 0 ? `(${columns.join(', ')})` : '',
    / join /i.test(text) ? '+ join' : '',
  ]
    .filter(Boolean)
    .join(' ');
}
