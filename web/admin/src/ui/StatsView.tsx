/**
 * Statistics (GET /admin/stats): the last 14 days stacked by outcome, the last 24 hours (comments
 * per hour, with those held and rejected), the stories with the most reports, and which pipeline
 * phase decided, as hand-drawn SVG charts.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import type { DayStats, HourStats, Stats } from '../api/types.js';
import { HorizontalBarChart, StackedBarChart, TopList, type SeriesDef } from './charts.js';
import { useDashboard } from './context.js';
import { formatCount, formatDay, formatHour, humanise, plural } from './format.js';
import { SiteSelect } from './SiteSelect.js';

const DAYS = 14;

type Outcome = 'approved' | 'pending' | 'rejected' | 'reported';
const SERIES: readonly SeriesDef<Outcome>[] = [
  { key: 'approved', label: 'Approved', tone: 'tone-approved' },
  { key: 'pending', label: 'Pending', tone: 'tone-pending' },
  { key: 'rejected', label: 'Rejected', tone: 'tone-rejected' },
  { key: 'reported', label: 'Reported', tone: 'tone-reported' },
];

type CommentOutcome = 'approved' | 'pending' | 'rejected';
/** Per hour: comments by what became of them (reports are counted per day above). */
const HOUR_SERIES: readonly SeriesDef<CommentOutcome>[] = [
  { key: 'approved', label: 'Published', tone: 'tone-approved' },
  { key: 'pending', label: 'Held', tone: 'tone-pending' },
  { key: 'rejected', label: 'Rejected', tone: 'tone-rejected' },
];

function describeHours(hours: readonly HourStats[]): string {
  const total = (hour: HourStats) => hour.approved + hour.pending + hour.rejected;
  const all = hours.reduce((sum, hour) => sum + total(hour), 0);
  if (all === 0) return 'No comments in the last 24 hours.';
  const held = hours.reduce((sum, hour) => sum + hour.pending, 0);
  const rejected = hours.reduce((sum, hour) => sum + hour.rejected, 0);
  const busiest = hours.reduce((best, hour) => (total(hour) > total(best) ? hour : best));
  return (
    `${plural(all, 'comment')} in the last 24 hours: ${formatCount(held)} held, ` +
    `${formatCount(rejected)} rejected. Busiest hour: ${formatHour(busiest.hour)} with ` +
    `${formatCount(total(busiest))}.`
  );
}

/** A pipeline phase's key as a label ("none": nothing decided, the comment was approved). */
export function phaseLabel(key: string): string {
  if (key === '' || key === 'null' || key === 'none') return 'No phase (default)';
  return humanise(key);
}

function describeDays(days: readonly DayStats[]): string {
  if (days.length === 0) return 'No data.';
  const sum = (key: Outcome) => days.reduce((total, day) => total + day[key], 0);
  const totals = SERIES.map((s) => `${formatCount(sum(s.key))} ${s.label.toLowerCase()}`);
  const busiest = days.reduce((best, day) =>
    day.approved + day.pending + day.rejected + day.reported >
    best.approved + best.pending + best.rejected + best.reported
      ? day
      : best,
  );
  const busiestTotal = busiest.approved + busiest.pending + busiest.rejected + busiest.reported;
  return (
    `From ${formatDay(days[0]!.date)} to ${formatDay(days[days.length - 1]!.date)}: ` +
    `${totals.join(', ')}. ` +
    (busiestTotal > 0
      ? `Busiest day: ${formatDay(busiest.date)} with ${formatCount(busiestTotal)}.`
      : 'No comments in this period.')
  );
}

export function StatsView() {
  const { api, siteId } = useDashboard();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setStats(null);
    api.stats(siteId, DAYS, controller.signal).then(
      (result) => {
        setStats(result);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [siteId]);

  const phases = stats
    ? Object.entries(stats.decidedBy)
        .map(([key, value]) => ({ label: phaseLabel(key), value }))
        .sort((a, b) => b.value - a.value)
    : [];
  const phaseTotal = phases.reduce((sum, row) => sum + row.value, 0);
  const sum = (key: Outcome) => stats?.days.reduce((total, day) => total + day[key], 0) ?? 0;

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="view-title">Statistics</h1>
        <div class="toolbar">
          <SiteSelect compact />
        </div>
      </div>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      {!stats && !error && <p class="muted page-body">Loading…</p>}
      {stats && (
        <div class="page-body stats">
          <dl class="totals">
            {SERIES.map((s) => (
              <div key={s.key} class={`total total-${s.key}`}>
                <dt>{s.label}</dt>
                <dd>{formatCount(sum(s.key))}</dd>
              </div>
            ))}
          </dl>
          <section class="chart-card" aria-labelledby="days-title">
            <h2 id="days-title" class="chart-title">
              Comments per day, last {DAYS} days
            </h2>
            <StackedBarChart
              title={`Comments per day over the last ${DAYS} days, by outcome`}
              description={describeDays(stats.days)}
              series={SERIES}
              rows={stats.days.map((day) => ({ ...day, label: formatDay(day.date) }))}
              xTitle="Day"
              yTitle="Comments"
            />
          </section>
          <section class="chart-card" aria-labelledby="hours-title">
            <h2 id="hours-title" class="chart-title">
              Comments per hour, last 24 hours
            </h2>
            <StackedBarChart
              title="Comments per hour over the last 24 hours: published, held and rejected"
              description={describeHours(stats.hours)}
              series={HOUR_SERIES}
              rows={stats.hours.map((hour) => ({ ...hour, label: formatHour(hour.hour) }))}
              xTitle="Hour"
              yTitle="Comments"
              labelEvery={3}
            />
          </section>
          <section class="chart-card" aria-labelledby="reported-title">
            <h2 id="reported-title" class="chart-title">
              Most reported stories
            </h2>
            {stats.topReported.length === 0 ? (
              <p class="muted">No open reports.</p>
            ) : (
              <TopList
                label="Stories by number of reports"
                unit="reports"
                tone="tone-reported"
                rows={stats.topReported.map((row) => ({
                  key: row.story.id,
                  label: row.story.title ?? row.story.url,
                  href: row.story.url,
                  value: row.reports,
                }))}
              />
            )}
          </section>
          <section class="chart-card" aria-labelledby="phases-title">
            <h2 id="phases-title" class="chart-title">
              Which pipeline phase decided
            </h2>
            {phases.length === 0 ? (
              <p class="muted">No pipeline decisions in this period.</p>
            ) : (
              <HorizontalBarChart
                title="Comments by the pipeline phase that decided them"
                description={
                  `${formatCount(phaseTotal)} decisions. ` +
                  phases.map((row) => `${row.label}: ${formatCount(row.value)}`).join('; ') +
                  '.'
                }
                rows={phases}
                xTitle="Comments decided"
                yTitle="Phase"
                tone="tone-phase"
              />
            )}
          </section>
        </div>
      )}
    </div>
  );
}
