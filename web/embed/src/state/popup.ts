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

const WIDTH = 480;
const HEIGHT = 640;
const CLOSED_POLL_MS = 400;

/** Opens `url` in a popup named `name`; null when the browser blocked it. */
export function openPopup(url: string, name: string, handlers: PopupHandlers): Popup | null {
  const left = Math.round(screenX + (outerWidth - WIDTH) / 2);
  const top = Math.round(screenY + (outerHeight - HEIGHT) / 2);
  const popup = window.open(
    url,
    name,
    `popup,width=${WIDTH},height=${HEIGHT},left=${left},top=${top}`,
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
