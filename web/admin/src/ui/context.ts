/** What every view of the signed-in dashboard shares. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AdminApi } from '../api/client.js';
import type { Me, SiteRef } from '../api/types.js';
import type { LiveFeed } from '../state/live-feed.js';

/** One thing a moderator did that `u` can take back (a bulk action is several actions). */
export interface UndoEntry {
  readonly label: string;
  readonly actionIds: string[];
  readonly commentIds: string[];
  readonly userId: string | null;
}

export interface Dashboard {
  readonly api: AdminApi;
  readonly me: Me;
  readonly sites: SiteRef[];
  readonly siteName: (id: string) => string | null;
  /** The site chosen in the header, or undefined for all the moderator's sites. */
  readonly siteId: string | undefined;
  readonly setSiteId: (id: string) => void;
  /** Says something to screen-reader users through the polite live region. */
  readonly announce: (message: string) => void;
  /** The moderators' live feed: queue counts and newly held comments, or polling without it. */
  readonly feed: LiveFeed;
  readonly undo: {
    readonly push: (entry: UndoEntry) => void;
    readonly pop: () => UndoEntry | undefined;
    readonly peek: () => UndoEntry | undefined;
  };
}

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const dashboard = useContext(DashboardContext);
  if (!dashboard) throw new Error('useDashboard outside DashboardContext');
  return dashboard;
}

/** Whether a key press is typing into a field (shortcuts then stay out of the way). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(
      target.type,
    );
  }
  return false;
}
