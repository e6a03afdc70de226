/**
 * A <time> element showing a relative time, with the full date and time as its title.
 */
import { formatFull, formatRelative } from './format-time.js';
import { useWidget } from './widget-context.js';

export function RelativeTime({ iso }: { iso: string }) {
  const { locale } = useWidget();
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={formatFull(date, locale)}>
      {formatRelative(date, locale)}
    </time>
  );
}
