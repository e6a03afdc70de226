/**
 * Entry point of embed.js: finds the publisher's container, attaches a shadow root to it and
 * renders the widget there with its own stylesheet. The story, the viewer and the interface
 * language load in parallel; the first render waits for the language only (English is built in,
 * so an English page makes no request for it). The viewer is the one of the publisher's SSO token
 * when the container carries one (data-sso-token), else the one of the stored session; the
 * publisher's page may sign them in and out later with `Parley.login(token)` and `Parley.logout()`.
 * The notification features are a module of their own, imported when wanted (state/features.ts).
 * The widget renders into an element of its own in the shadow root, whose class is its theme
 * (theme.ts) and which publishers may style as ::part(widget).
 */
import { render } from 'preact';
import { CONTAINER_ID, embedScriptSrc, readEmbedConfig } from './config.js';
import { loadMessages } from './i18n.js';
import { createServices } from './services.js';
import type { Services } from './services.js';
import { findRendered, openRendered } from './state/hydrate.js';
import { followTheme } from './theme.js';
import { App } from './ui/App.js';
import css from './ui/widget.css';

const scriptSrc = embedScriptSrc();

function mount(): void {
  const container = document.getElementById(CONTAINER_ID);
  if (!container || !scriptSrc) {
    console.warn(`Parley: embed.js needs a <div id="${CONTAINER_ID}"> on the page`);
    return;
  }
  if (container.shadowRoot) return;
  const config = readEmbedConfig(container, scriptSrc);
  const services = createServices(config.apiOrigin);
  // A server-rendered thread in the container is taken over (state/hydrate.ts).
  const rendered = findRendered(container, config);
  const opening = rendered
    ? openRendered(services, rendered, viewer(services, config.ssoToken))
    : services.thread.open(config.target, config.sort, viewer(services, config.ssoToken));
  // A failure is shown by the App (with a retry) once it renders; until then it is not unhandled.
  opening.catch(() => undefined);
  const messages = loadMessages(config.lang, scriptSrc);
  const shadow = container.attachShadow({ mode: 'open' });
  // A constructed stylesheet is not inline CSS, so a publisher's strict Content-Security-Policy
  // (style-src without 'unsafe-inline') does not block it; older browsers get a <style> element.
  const constructed =
    'adoptedStyleSheets' in shadow && typeof CSSStyleSheet.prototype.replaceSync === 'function';
  if (constructed) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  }
  const root = shadow.appendChild(document.createElement('div'));
  root.setAttribute('part', 'widget');
  followTheme(root, container, config.theme);
  // The fragment stays shown (slotted) until the widget's thread is rendered, hidden, in its place.
  let shown: (() => void) | undefined;
  if (rendered) {
    const slot = shadow.appendChild(document.createElement('slot'));
    root.hidden = true;
    followTheme(rendered[1], container, config.theme);
    shown = () => {
      slot.remove();
      root.hidden = false;
      // Its markup goes once out of sight: its ids would take the comments' anchors (#parley-comment-…)
      // and its elements readers' tools. Its JSON-LD and page stay in the document.
      rendered[1].remove();
    };
  }
  void messages.then(({ lang, t }) => {
    render(
      <>
        {!constructed && <style>{css}</style>}
        <App
          config={{ ...config, lang }}
          t={t}
          services={services}
          opening={opening}
          host={container}
          shown={shown}
        />
      </>,
      root,
    );
    const notify = new URL(`notify/${lang}.${PARLEY_NOTIFY_VERSION}.js`, scriptSrc);
    services.features.start(notify.href, services.session);
  });

  // Both wait for the first load (the token is for the story's site); after a failed one, for
  // the reader's retry.
  const loaded = () => opening.catch(() => undefined).then(() => services.store.story);
  window.Parley = {
    login: async (token) => {
      const story = await loaded();
      if (!story) throw new Error('Parley: the comments have not loaded');
      await services.auth.sso(story.siteId, token);
    },
    logout: () => loaded().then(services.auth.logOut),
  };
}

/** How the first load learns its viewer, once it knows the story's site. */
function viewer(
  services: Services,
  ssoToken: string | undefined,
): (siteId: string) => Promise<void> {
  const { auth } = services;
  if (!ssoToken) {
    const restoring = auth.restore();
    return () => restoring;
  }
  return (siteId) =>
    auth.sso(siteId, ssoToken).catch((failure: Error) => {
      console.warn(`Parley: the sign-in token was refused (${failure.message})`);
      return auth.restore();
    });
}

/** The version of the notification features' files (a hash set by scripts/build-web.ts). */
declare const PARLEY_NOTIFY_VERSION: string;

declare global {
  interface Window {
    /** What the publisher's page may call: sign a reader in with its SSO token, or out. */
    Parley?: { login: (token: string) => Promise<void>; logout: () => Promise<void> };
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
