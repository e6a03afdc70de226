/**
 * Hand-drawn SVG charts (no chart library): a stacked bar chart of comments per day and a
 * horizontal bar chart of counts by name. Each has a title and a description for screen readers,
 * axis labels, a legend and a table of the numbers. Colours come from classes (the page's
 * Content-Security-Policy allows no inline styles).
 */
import { useState } from 'preact/hooks';
import { formatCount } from './format.js';

let chartCounter = 0;
const useChartId = (prefix: string) => useState(() => `${prefix}-${++chartCounter}`)[0];

/** Round axis steps: 1, 2 or 5 times a power of ten, about `count` of them up to `max`. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1, 2, 3, 4];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const wholeStep = Math.max(1, step);
  const top = Math.ceil(max / wholeStep) * wholeStep;
  const ticks: number[] = [];
  for (let value = 0; value <= top + wholeStep / 2; value += wholeStep) ticks.push(value);
  return ticks;
}

export interface SeriesDef<K extends string> {
  readonly key: K;
  readonly label: string;
  /** CSS class giving the series its colour (`fill`). */
  readonly tone: string;
}

interface StackedBarChartProps<K extends string> {
  readonly title: string;
  readonly description: string;
  readonly series: readonly SeriesDef<K>[];
  readonly rows: readonly ({ readonly label: string } & Record<K, number>)[];
  readonly xTitle: string;
  readonly yTitle: string;
  /** Label every nth bar on the x axis (default: every bar, every other past 20). */
  readonly labelEvery?: number;
}

export function StackedBarChart<K extends string>(props: StackedBarChartProps<K>) {
  const id = useChartId('stacked');
  const width = 760;
  const height = 300;
  const margin = { top: 14, right: 12, bottom: 52, left: 56 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const totals = props.rows.map((row) => props.series.reduce((sum, s) => sum + row[s.key], 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const top = ticks[ticks.length - 1] ?? 1;
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const band = plotWidth / Math.max(1, props.rows.length);
  const barWidth = Math.min(34, band * 0.62);
  const labelEvery = props.labelEvery ?? (props.rows.length > 20 ? 2 : 1);

  return (
    <figure class="chart">
      <Legend series={props.series} />
      <svg
        class="chart-svg"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{props.title}</title>
        <desc id={`${id}-desc`}>{props.description}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              class={tick === 0 ? 'axis-line' : 'grid-line'}
              x1={margin.left}
              x2={width - margin.right}
              y1={y(tick)}
              y2={y(tick)}
            />
            <text class="tick-label" x={margin.left - 8} y={y(tick) + 4} text-anchor="end">
              {formatCount(tick)}
            </text>
          </g>
        ))}
        {props.rows.map((row, index) => {
          const x = margin.left + index * band + (band - barWidth) / 2;
          let base = 0;
          const total = totals[index] ?? 0;
          return (
            <g key={row.label}>
              {props.series.map((s) => {
                const value = row[s.key];
                if (value <= 0) return null;
                const rect = (
                  <rect
                    key={s.key}
                    class={`bar ${s.tone}`}
                    x={x}
                    width={barWidth}
                    y={y(base + value)}
                    height={Math.max(0, y(base) - y(base + value))}
                  >
                    <title>{`${row.label}: ${formatCount(value)} ${s.label.toLowerCase()}`}</title>
                  </rect>
                );
                base += value;
                return rect;
              })}
              {total > 0 && (
                <text class="bar-total" x={x + barWidth / 2} y={y(total) - 4} text-anchor="middle">
                  {formatCount(total)}
                </text>
              )}
              {index % labelEvery === 0 && (
                <text
                  class="tick-label"
                  x={x + barWidth / 2}
                  y={margin.top + plotHeight + 16}
                  text-anchor="middle"
                >
                  {row.label}
                </text>
              )}
            </g>
          );
        })}
        <text
          class="axis-title"
          x={margin.left + plotWidth / 2}
          y={height - 8}
          text-anchor="middle"
        >
          {props.xTitle}
        </text>
        <text
          class="axis-title"
          transform={`translate(14 ${margin.top + plotHeight / 2}) rotate(-90)`}
          text-anchor="middle"
        >
          {props.yTitle}
        </text>
      </svg>
      <details class="chart-data">
        <summary>Show the numbers</summary>
        <table class="table table-compact">
          <thead>
            <tr>
              <th scope="col">{props.xTitle}</th>
              {props.series.map((s) => (
                <th key={s.key} scope="col" class="num">
                  {s.label}
                </th>
              ))}
              <th scope="col" class="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row, index) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {props.series.map((s) => (
                  <td key={s.key} class="num">
                    {formatCount(row[s.key])}
                  </td>
                ))}
                <td class="num">{formatCount(totals[index] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Legend<K extends string>({ series }: { readonly series: readonly SeriesDef<K>[] }) {
  return (
    <ul class="legend" aria-label="Legend">
      {series.map((s) => (
        <li key={s.key} class="legend-item">
          <svg class="legend-swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">
            <rect class={s.tone} x="0" y="0" width="12" height="12" rx="2" />
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}

interface HorizontalBarChartProps {
  readonly title: string;
  readonly description: string;
  readonly rows: readonly { readonly label: string; readonly value: number }[];
  readonly xTitle: string;
  readonly yTitle: string;
  readonly tone: string;
}

export function HorizontalBarChart(props: HorizontalBarChartProps) {
  const id = useChartId('hbar');
  const width = 760;
  const rowHeight = 30;
  const margin = { top: 24, right: 56, bottom: 44, left: 190 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = Math.max(1, props.rows.length) * rowHeight;
  const height = margin.top + plotHeight + margin.bottom;
  const ticks = niceTicks(Math.max(0, ...props.rows.map((row) => row.value)));
  const top = ticks[ticks.length - 1] ?? 1;
  const x = (value: number) => margin.left + (value / top) * plotWidth;
  const barHeight = 18;

  return (
    <figure class="chart">
      <svg
        class="chart-svg"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{props.title}</title>
        <desc id={`${id}-desc`}>{props.description}</desc>
        <text class="axis-title" x={margin.left - 10} y={14} text-anchor="end">
          {props.yTitle}
        </text>
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              class={tick === 0 ? 'axis-line' : 'grid-line'}
              x1={x(tick)}
              x2={x(tick)}
              y1={margin.top}
              y2={margin.top + plotHeight}
            />
            <text
              class="tick-label"
              x={x(tick)}
              y={margin.top + plotHeight + 16}
              text-anchor="middle"
            >
              {formatCount(tick)}
            </text>
          </g>
        ))}
        {props.rows.map((row, index) => {
          const rowTop = margin.top + index * rowHeight + (rowHeight - barHeight) / 2;
          return (
            <g key={row.label}>
              <text
                class="row-label"
                x={margin.left - 10}
                y={rowTop + barHeight / 2 + 4}
                text-anchor="end"
              >
                {row.label}
              </text>
              <rect
                class={`bar ${props.tone}`}
                x={margin.left}
                y={rowTop}
                width={Math.max(row.value > 0 ? 2 : 0, x(row.value) - margin.left)}
                height={barHeight}
                rx="2"
              >
                <title>{`${row.label}: ${formatCount(row.value)}`}</title>
              </rect>
              <text class="bar-value" x={x(row.value) + 6} y={rowTop + barHeight / 2 + 4}>
                {formatCount(row.value)}
              </text>
            </g>
          );
        })}
        <text
          class="axis-title"
          x={margin.left + plotWidth / 2}
          y={height - 8}
          text-anchor="middle"
        >
          {props.xTitle}
        </text>
      </svg>
    </figure>
  );
}

interface TopListProps {
  /** What the list is, for screen readers. */
  readonly label: string;
  /** What the numbers count ("reports"). */
  readonly unit: string;
  readonly tone: string;
  readonly rows: readonly {
    readonly key: string;
    readonly label: string;
    readonly href?: string;
    readonly value: number;
  }[];
}

/**
 * A ranked list with a bar per row: long labels (story titles) wrap as text instead of being cut
 * off at an SVG axis, and each links to its page.
 */
export function TopList(props: TopListProps) {
  const max = Math.max(1, ...props.rows.map((row) => row.value));
  return (
    <ol class="top-list" aria-label={props.label}>
      {props.rows.map((row, index) => (
        <li key={row.key} class="top-item">
          <span class="top-rank" aria-hidden="true">
            {index + 1}
          </span>
          <span class="top-label" dir="auto">
            {row.href ? (
              <a href={row.href} target="_blank" rel="noopener noreferrer">
                {row.label}
              </a>
            ) : (
              row.label
            )}
          </span>
          <span class="top-value">
            {formatCount(row.value)} <span class="vh">{props.unit}</span>
          </span>
          <svg class="top-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
            <rect class="score-track" x="0" y="0" width="100" height="6" />
            <rect
              class={props.tone}
              x="0"
              y="0"
              width={Math.max(1.5, (row.value / max) * 100)}
              height="6"
            />
          </svg>
        </li>
      ))}
    </ol>
  );
}
