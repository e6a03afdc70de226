/**
 * The account pages' entry (see src/server/account-pages.ts): the server's shell names the page
 * and what it needs in data attributes of #parley-account; this renders it in the language the
 * bundle was built with (./entry/<lang>.ts). A page that knows its site carries the publisher's
 * brand: the server writes the logo or name above the page, and hands over here the name (for the
 * window's title) and an accent colour it found readable, set as a custom property (the page's
 * policy allows no inline style, but a script may set one).
 */
import { render } from 'preact';
import type { AuthMethods } from './api.js';
import { dropStale } from './handoff.js';
import type { Messages } from './i18n/en.js';
import { AccountPage } from './ui/AccountPage.js';
import { setLanguage, t } from './ui/common.js';
import { ConfirmPage, ResetPage } from './ui/LinkPages.js';
import { PopupPage } from './ui/PopupPage.js';

function parsed<T>(json: string | undefined): T | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

function page(data: DOMStringMap) {
  const origin = data.origin || null;
  const siteId = data.siteId || null;
  const article = data.article || null;
  switch (data.page) {
    case 'popup':
      return (
        <PopupPage
          siteId={siteId || ''}
          origin={origin || ''}
          methods={parsed<AuthMethods>(data.methods) || { local: true, sso: false, oidc: false }}
          article={article}
        />
      );
    case 'account':
      return <AccountPage origin={origin} siteId={siteId} />;
    case 'verify':
    case 'email':
      return <ConfirmPage kind={data.page} siteId={siteId} article={article} />;
    case 'reset':
      return <ResetPage />;
    default:
      return null;
  }
}

const TITLES: Record<string, keyof Messages> = {
  popup: 'signInTitle',
  account: 'accountTitle',
  verify: 'verifyTitle',
  email: 'emailTitle',
  reset: 'resetTitle',
};

export function start(messages: Messages): void {
  setLanguage(messages);
  dropStale();
  const root = document.getElementById('parley-account');
  if (!root) return;
  const title = TITLES[root.dataset.page || ''];
  if (title) document.title = `${t[title] as string} · ${root.dataset.brandName || 'Parley'}`;
  const accent = root.dataset.accent;
  if (accent && /^#[0-9a-f]{6}$/i.test(accent)) {
    document.documentElement.style.setProperty('--brand-accent', accent);
  }
  root.textContent = '';
  root.className = 'page';
  render(page(root.dataset), root);
}
