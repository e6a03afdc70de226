/**
 * Parley's own pages (sign-in, the reader's account) opened in a popup window on Parley's origin,
 * where third-party cookie rules do not reach, and the messages they post back. A message counts
 * only when it comes from Parley's origin and from the very window we opened (docs/identity.md,
 * "Sessions in an embedded widget"); replies go to Parley's origin only.
 */

export interface PopupMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface PopupHandlers {
  /** A message from the popup; `reply` posts one back to it. */
  readonly message: (data: PopupMessage, reply: (data: PopupMessage) => void) => void;
  /** The popup was closed, by the reader or by `close`. */
  readonly closed: () => void;
}

export interface Popup {
  readonly focus: () => void;
  readonly close: () => void;
}

export interface PopupSize {
  readonly width: number;
  readonly height: number;
}

/** The sign-in forms: one narrow column. */
export const SIGN_IN_SIZE: PopupSize = { width: 480, height: 640 };
/**
 * "Your account": its column (30rem) with the page's padding and a scroll bar beside it, and
 * tall enough for a section or two at once (test/browser/signup.test.ts checks that nothing
 * scrolls sideways at this size).
 */
export const ACCOUNT_SIZE: PopupSize = { width: 560, height: 760 };
const CLOSED_POLL_MS = 400;

/** Opens `url` in a popup named `name`, centred on this window; null when the browser blocked it. */
export function openPopup(
  url: string,
  name: string,
  handlers: PopupHandlers,
  size: PopupSize = SIGN_IN_SIZE,
): Popup | null {
  // Never larger than the screen (a phone's browser opens a tab anyway).
  const width = Math.min(size.width, screen.availWidth || size.width);
  const height = Math.min(size.height, screen.availHeight || size.height);
  const left = Math.round(screenX + (outerWidth - width) / 2);
  const top = Math.round(screenY + (outerHeight - height) / 2);
  const popup = window.open(
    url,
    name,
    `popup,width=${width},height=${height},left=${left},top=${top}`,
  );
  if (!popup) return null;
  const origin = new URL(url).origin;

  const onMessage = (event: MessageEvent) => {
    const data = event.data as PopupMessage | null;
    if (event.origin !== origin || event.source !== popup || !data || typeof data.type !== 'string')
      return;
    handlers.message(data, (answer) => popup.postMessage(answer, origin));
  };
  // A cross-origin window tells only whether it is closed, so ask now and then.
  const timer = window.setInterval(() => {
    if (popup.closed) stop();
  }, CLOSED_POLL_MS);
  let open = true;
  function stop() {
    if (!open) return;
    open = false;
    clearInterval(timer);
    window.removeEventListener('message', onMessage);
    handlers.closed();
  }
  window.addEventListener('message', onMessage);

  return {
    focus: () => popup.focus(),
    close: () => {
      popup.close();
      stop();
    },
  };
}
