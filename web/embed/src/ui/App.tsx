/**
 * The widget root: sets language and direction, loads the story and the viewer, and shows the
 * loading state, the load error with a retry, or the thread.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { User } from '../api/types.js';
import type { EmbedConfig } from '../config.js';
import { LOCALES, isRtl } from '../i18n.js';
import type { Messages } from '../i18n.js';
import type { Services } from '../services.js';
import { SignIn } from '../state/sign-in.js';
import { focusIn } from './form-behaviour.js';
import { LiveRegion } from './LiveRegion.js';
import { Thread } from './Thread.js';
import { useAction } from './use-action.js';
import { WidgetContext, useWidget } from './widget-context.js';
import type { Widget } from './widget-context.js';

const COMPOSER_FIELD = '.composer textarea';

interface AppProps {
  readonly config: EmbedConfig;
  /** The interface strings of config.lang. */
  readonly t: Messages;
  readonly services: Services;
  /** The first load of the story and the viewer, started before the first render. */
  readonly opening: Promise<void>;
  /** The publisher's element the widget's shadow root is attached to. */
  readonly host: Element;
  /**
   * Called once the thread is rendered, before the browser paints it: when the widget takes over
   * a server-rendered thread, it shows itself there in that thread's place (state/hydrate.ts).
   */
  readonly shown?: (() => void) | undefined;
}

export function App({ config, t, services, opening, host, shown }: AppProps) {
  const root = useRef<HTMLDivElement>(null);
  const locale = LOCALES[config.lang];

  const widget = useMemo<Widget>(() => {
    const focus = (selector: string) => {
      setTimeout(() => focusIn(root.current, selector), 0);
    };
    const signIn = new SignIn({
      ...services,
      apiOrigin: config.apiOrigin,
      lang: config.lang,
      siteId: () => services.store.story!.siteId,
      host,
      onSignedIn: (user: User) => {
        services.announcer.announce(`${t.signedInAs} ${user.displayName}`);
        // The composer is the notification features' (ui/Composer.tsx), there once they load.
        void services.features.ready.then(() => focus(COMPOSER_FIELD));
      },
    });
    return { ...services, t, locale, focus, signIn, requestSignIn: () => signIn.start() };
  }, []);

  return (
    <WidgetContext.Provider value={widget}>
      <div ref={root} class="parley" lang={locale} dir={isRtl(config.lang) ? 'rtl' : 'ltr'}>
        <Loader config={config} opening={opening} shown={shown}>
          <Thread />
        </Loader>
        <LiveRegion />
      </div>
    </WidgetContext.Provider>
  );
}

interface LoaderProps {
  readonly config: EmbedConfig;
  readonly opening: Promise<void>;
  readonly shown?: (() => void) | undefined;
  readonly children: ComponentChildren;
}

/**
 * Shows its children once the story and viewer are loaded; until then a status or an error with
 * a retry (which opens the story again).
 */
function Loader({ config, opening, shown, children }: LoaderProps) {
  const { t, thread, auth } = useWidget();
  const { busy, error, run } = useAction();
  const [loaded, setLoaded] = useState(false);

  const load = (pending: Promise<void>) =>
    run(async () => {
      await pending;
      setLoaded(true);
    });

  useEffect(() => {
    void load(opening);
  }, []);
  // After the children's DOM is there, before the paint; a failed load shows its error too.
  useLayoutEffect(() => {
    if (loaded || error) shown?.();
  }, [loaded, error]);

  if (loaded) return <>{children}</>;
  if (busy || !error) {
    return (
      <p class="note" role="status">
        {t.loading}
      </p>
    );
  }
  return (
    <div class="panel" role="alert">
      <p>{error}</p>
      <button
        type="button"
        class="secondary"
        onClick={() => load(thread.open(config.target, config.sort, auth.restore))}
      >
        {t.retry}
      </button>
    </div>
  );
}
