/**
 * The widget root: sets language and direction, loads the story and the viewer, and shows the
 * loading state, the load error with a retry, or the thread.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { EmbedConfig } from '../config.js';
import { LOCALES, MESSAGES, isRtl } from '../i18n.js';
import type { Services } from '../services.js';
import type { AuthPanelMode } from './AuthPanel.js';
import { focusIn } from './form-behaviour.js';
import { LiveRegion } from './LiveRegion.js';
import { Thread } from './Thread.js';
import { useAction } from './use-action.js';
import { WidgetContext, useWidget } from './widget-context.js';
import type { Widget } from './widget-context.js';

const AUTH_FORM_FIELD = '.auth input';

interface AppProps {
  readonly config: EmbedConfig;
  readonly services: Services;
}

export function App({ config, services }: AppProps) {
  const root = useRef<HTMLDivElement>(null);
  const [authMode, setAuthMode] = useState<AuthPanelMode>('closed');
  const t = MESSAGES[config.lang];
  const locale = LOCALES[config.lang];

  const widget = useMemo<Widget>(() => {
    const focus = (selector: string) => {
      setTimeout(() => focusIn(root.current, selector), 0);
    };
    return {
      ...services,
      t,
      locale,
      focus,
      requestSignIn: () => {
        setAuthMode('login');
        services.announcer.announce(t.joinPrompt);
        focus(AUTH_FORM_FIELD);
      },
    };
  }, []);

  return (
    <WidgetContext.Provider value={widget}>
      <div ref={root} class="parley" lang={locale} dir={isRtl(config.lang) ? 'rtl' : 'ltr'}>
        <Loader config={config}>
          <Thread authMode={authMode} onAuthModeChange={setAuthMode} />
        </Loader>
        <LiveRegion />
      </div>
    </WidgetContext.Provider>
  );
}

interface LoaderProps {
  readonly config: EmbedConfig;
  readonly children: ComponentChildren;
}

/** Shows its children once the story and viewer are loaded; until then a status or an error. */
function Loader({ config, children }: LoaderProps) {
  const { t, thread, auth } = useWidget();
  const { busy, error, run } = useAction();
  const [loaded, setLoaded] = useState(false);

  const load = () =>
    run(async () => {
      await thread.open(config.target, config.sort, auth.restore());
      setLoaded(true);
    });

  useEffect(() => {
    void load();
  }, []);

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
      <button type="button" class="secondary" onClick={load}>
        {t.retry}
      </button>
    </div>
  );
}
