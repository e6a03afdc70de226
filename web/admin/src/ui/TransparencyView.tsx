/**
 * The transparency report of a period for one site (Digital Services Act, Articles 15 and 24;
 * docs/dsa.md): reports received by reason, decisions by reason and by automated or human means,
 * appeals and their outcomes, and the median time to decide. Shown as tables, and downloaded as
 * the server's own CSV (GET /admin/sites/:siteId/transparency?format=csv).
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { TransparencyReport } from '../api/dsa.js';
import { useDashboard } from './context.js';
import { formatCount, humanise, reportReasonLabel } from './format.js';
import { useOneSite } from './SiteSelect.js';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The last full calendar year, the usual period of a yearly report. */
function lastYear(): { from: string; to: string } {
  const year = new Date().getUTCFullYear() - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** A duration in words: "45 s", "12 min", "3.5 h", "2.1 days". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return 'none decided';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

function Counts({
  title,
  counts,
  label,
}: {
  readonly title: string;
  readonly counts: Record<string, number>;
  readonly label: (key: string) => string;
}) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <section class="chart-card">
      <h2 class="chart-title">{title}</h2>
      {rows.length === 0 ? (
        <p class="muted">None in this period.</p>
      ) : (
        <table class="table">
          <tbody>
            {rows.map(([key, n]) => (
              <tr key={key}>
                <th scope="row">{label(key)}</th>
                <td>{formatCount(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const ACTION_LABELS: Readonly<Record<string, string>> = {
  'comment.approve': 'Published by a moderator',
  'comment.reject': 'Rejected by a moderator',
  'comment.delete': 'Deleted by a moderator',
  'pipeline.hold': 'Held automatically',
  'pipeline.reject': 'Rejected automatically',
};

export function TransparencyView() {
  const { api, sites } = useDashboard();
  const siteId = useOneSite();
  const [period, setPeriod] = useState(lastYear);
  const [report, setReport] = useState<TransparencyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    if (!siteId) return undefined;
    const controller = new AbortController();
    setError(null);
    api.transparency(siteId, period.from, period.to, controller.signal).then(
      (next) => setReport(next),
      (failure: unknown) => {
        if (isAbort(failure)) return;
        setReport(null);
        setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [siteId, period.from, period.to]);

  const download = async () => {
    if (!siteId) return;
    setDownloading(true);
    try {
      const csv = await api.transparencyCsv(siteId, period.from, period.to);
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `transparency-${siteId}-${period.from}-${period.to}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setDownloading(false);
    }
  };

  const siteName = sites.find((site) => site.id === siteId)?.name;
  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Transparency report{siteName ? `: ${siteName}` : ''}</h1>
      </div>
      <form class="toolbar" onSubmit={(event) => event.preventDefault()}>
        <label class="field field-inline">
          <span class="field-label-inline">From</span>
          <input
            type="date"
            name="from"
            value={period.from}
            max={period.to}
            onChange={(event) => {
              const from = event.currentTarget.value;
              if (from) setPeriod((p) => ({ ...p, from }));
            }}
          />
        </label>
        <label class="field field-inline">
          <span class="field-label-inline">To</span>
          <input
            type="date"
            name="to"
            value={period.to}
            min={period.from}
            max={isoDay(new Date())}
            onChange={(event) => {
              const to = event.currentTarget.value;
              if (to) setPeriod((p) => ({ ...p, to }));
            }}
          />
        </label>
        <button
          type="button"
          class="btn"
          disabled={!report || downloading}
          onClick={() => void download()}
        >
          Download CSV
        </button>
      </form>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {!siteId && <p class="muted page-body">No site to report on.</p>}
      {report && (
        <div class="page-body stats" data-report>
          <dl class="totals">
            <div class="total">
              <dt>Reports received</dt>
              <dd data-figure="reports">{formatCount(report.reports.total)}</dd>
            </div>
            <div class="total">
              <dt>Decisions (automated · by a person)</dt>
              <dd data-figure="decisions">
                {formatCount(report.decisions.total)} ({formatCount(report.decisions.automated)} ·{' '}
                {formatCount(report.decisions.human)})
              </dd>
            </div>
            <div class="total">
              <dt>Appeals (upheld · reversed · open)</dt>
              <dd data-figure="appeals">
                {formatCount(report.appeals.total)} ({formatCount(report.appeals.upheld)} ·{' '}
                {formatCount(report.appeals.reversed)} · {formatCount(report.appeals.open)})
              </dd>
            </div>
            <div class="total">
              <dt>Account restrictions (suspensions · bans)</dt>
              <dd data-figure="restrictions">
                {formatCount(report.restrictions.total)} (
                {formatCount(report.restrictions.suspensions)} ·{' '}
                {formatCount(report.restrictions.bans)})
              </dd>
            </div>
            <div class="total">
              <dt>Median time to decide a report · a held comment</dt>
              <dd data-figure="median">
                {formatSeconds(report.medianSeconds.reportToDecision)} ·{' '}
                {formatSeconds(report.medianSeconds.heldToDecision)}
              </dd>
            </div>
          </dl>
          <Counts
            title="Reports by reason"
            counts={report.reports.byReason}
            label={reportReasonLabel}
          />
          <Counts
            title="Decisions by kind"
            counts={report.decisions.byAction}
            label={(key) => ACTION_LABELS[key] ?? humanise(key)}
          />
          <Counts title="Decisions by reason" counts={report.decisions.byReason} label={humanise} />
          <p class="muted">
            Not decided yet: {formatCount(report.undecided.reports)} reports,{' '}
            {formatCount(report.undecided.held)} held comments. Days are UTC; both dates are
            included.
          </p>
        </div>
      )}
    </div>
  );
}
