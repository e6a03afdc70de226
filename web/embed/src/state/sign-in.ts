/**
 * Signing in from the widget (docs/identity.md, "Sessions in an embedded widget"): "Sign in" opens
 * Parley's sign-in page in a popup, which posts the new session back; on a site that offers only
 * its publisher's SSO it asks the publisher's page instead, with a `parley:login-requested` event
 * on the widget's element. "Your account" (the features' account bar) opens Parley's account page
 * the same way and hands it the access token when it asks. The account bar shows the last failure
 * (key SIGN_IN).
 */
import { ApiError } from '../api/client.js';
import type { ApiClient } from '../api/client.js';
import type { AuthMethods, AuthResult, User } from '../api/types.js';
import type { Lang } from '../i18n.js';
import type { AuthActions } from './auth-actions.js';
import { Emitter } from './emitter.js';
import { ACCOUNT_SIZE, openPopup } from './popup.js';
import type { Popup, PopupHandlers } from './popup.js';
import type { Session } from './session.js';

export const SIGN_IN = 'signIn';
export const POPUP_BLOCKED = 'POPUP_BLOCKED';
export const LOGIN_REQUESTED = 'parley:login-requested';

export interface SignInOptions {
  readonly apiOrigin: string;
  readonly lang: Lang;
  readonly api: ApiClient;
  readonly auth: AuthActions;
  readonly session: Session;
  /** The site of the loaded story. */
  readonly siteId: () => string;
  /** The publisher's element the widget lives in. */
  readonly host: Element;
  /** After a sign-in through the popup: tell the reader, move on to the comment form. */
  readonly onSignedIn: (user: User) => void;
}

export class SignIn extends Emitter<typeof SIGN_IN> {
  /** Why the last attempt failed (code POPUP_BLOCKED, or the sign-in page's error). */
  failure: ApiError | null = null;
  private asked = false;
  private offered: AuthMethods | null = null;
  private signInPopup: Popup | null = null;

  constructor(private readonly options: SignInOptions) {
    super();
  }

  /** Learns (once) what the site offers, so that "Sign in" knows what to do when clicked. */
  loadMethods(): void {
    const { api, siteId } = this.options;
    if (this.asked) return;
    this.asked = true;
    // Without an answer the popup is offered: it lists what the site allows.
    void api.authMethods(siteId()).then(
      (methods) => (this.offered = methods),
      () => undefined,
    );
  }

  /** Signs the reader in: must run in their click, or the browser blocks the popup. */
  start(): void {
    const offered = this.offered;
    if (offered && offered.sso && !offered.local && !offered.oidc) {
      const event = new CustomEvent(LOGIN_REQUESTED, { bubbles: true, composed: true });
      this.options.host.dispatchEvent(event);
      return;
    }
    if (this.signInPopup) return this.signInPopup.focus();
    this.signInPopup = this.open('/auth/popup', {
      message: (data) => {
        if (data.type === 'parley:session') void this.signedIn(data.session as AuthResult);
        // The finishing page sends {type, code, message} (src/server/routes/federated.ts).
        else if (data.type === 'parley:error')
          this.fail(data as { code?: string; message?: string });
      },
      closed: () => (this.signInPopup = null),
    });
  }

  /**
   * Opens Parley's page at `path` in a popup (named after it), for this site, page and language;
   * a blocked popup is reported. The features' account bar opens the reader's account page so
   * (notify/ui/AccountBar.tsx), which asks for the access token once it has loaded.
   */
  open(path: string, handlers: PopupHandlers): Popup | null {
    const { apiOrigin, lang, siteId } = this.options;
    const query = new URLSearchParams({ siteId: siteId(), origin: location.origin, lang });
    // The article, for the link back to it from the sign-up's confirmation (the server keeps it
    // only on one of the site's origins).
    if (path === '/auth/popup') query.set('article', location.href.split('#')[0] as string);
    const popup = openPopup(
      `${apiOrigin}${path}?${query}`,
      `parley${path.replace(/\//g, '-')}`,
      handlers,
      path === '/account' ? ACCOUNT_SIZE : undefined,
    );
    this.report(popup ? null : new ApiError(0, POPUP_BLOCKED, ''));
    return popup;
  }

  private async signedIn(session: AuthResult | undefined): Promise<void> {
    if (!session || typeof session.token !== 'string' || !session.user) return;
    if (this.signInPopup) this.signInPopup.close();
    await this.options.auth.adopt(session);
    this.options.onSignedIn(session.user);
  }

  private fail(error: { code?: string; message?: string } | undefined): void {
    if (this.signInPopup) this.signInPopup.close();
    this.report(new ApiError(400, (error && error.code) || '', (error && error.message) || ''));
  }

  private report(failure: ApiError | null): void {
    this.failure = failure;
    this.emit(SIGN_IN);
  }
}
