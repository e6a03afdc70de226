/**
 * The bell in the account bar: a button named with the number of unread notifications ("3
 * unread"), which shows that number over its icon and opens or closes the list (ui/InboxPanel.tsx)
 * below the bar.
 */
import { useStoreValue } from '../../state/use-store-value.js';
import { INBOX } from '../inbox.js';
import { PANEL, useNotify } from '../shared.js';

export const BELL_ID = 'parley-bell';
export const PANEL_ID = 'parley-inbox';

export function Bell() {
  const { t, inbox, panel } = useNotify();
  const unread = useStoreValue(inbox, INBOX, () => inbox.state.unread);
  const open = useStoreValue(panel, PANEL, () => panel.open);
  return (
    <button
      type="button"
      id={BELL_ID}
      class="bell"
      aria-label={t.bell(unread)}
      aria-expanded={open}
      aria-controls={PANEL_ID}
      onClick={() => (open ? panel.close() : panel.show())}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) panel.close();
      }}
    >
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path d="M12 2.5a1.5 1.5 0 0 1 1.5 1.5v.7A6.5 6.5 0 0 1 18.5 11v3.6l1.8 2.7a.8.8 0 0 1-.7 1.2H4.4a.8.8 0 0 1-.7-1.2l1.8-2.7V11a6.5 6.5 0 0 1 5-6.3V4A1.5 1.5 0 0 1 12 2.5Zm-2.5 17h5a2.5 2.5 0 0 1-5 0Z" />
      </svg>
      {unread > 0 && (
        <span class="bell-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}
