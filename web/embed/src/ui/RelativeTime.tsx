/**
 * A <time> element showing a relative time, with the full date and time as its title; for a
 * comment of a server-rendered thread the widget took over, the date the server wrote there
 * (state/hydrate.ts, serverTimes), so that the widget's first frame matches the fragment's.
 */
import { serverTimes } from '../state/hydrate.js';
import { formatFull, formatRelative } from './format-time.js';
import { useWidget } from './widget-context.js';

export function RelativeTime({ iso }: { iso: string }) {
  const { locale } = useWidget();
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={formatFull(date, locale)}>
      {serverTimes.get(iso) || formatRelative(date, locale)}
    </time>
  );
}
