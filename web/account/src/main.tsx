/**
 * The account pages' entry (see src/server/account-pages.ts): the server's shell names the page
 * and what it needs in data attributes of #parley-account; this renders it in the language the
 * bundle was built with (./entry/<lang>.ts).
 */
import { render } from 'preact';
import type { AuthMethods } from './api.js';
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
  switch (data.page) {
    case 'popup':
      return (
        <PopupPage
          siteId={data.siteId || ''}
          origin={origin || ''}
          methods={parsed<AuthMethods>(data.methods) || { local: true, sso: false, oidc: false }}
        />
      );
    case 'account':
      return <AccountPage origin={origin} />;
    case 'verify':
    case 'email':
      return <ConfirmPage kind={data.page} />;
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
  const root = document.getElementById('parley-account');
  if (!root) return;
  const title = TITLES[root.dataset.page || ''];
  if (title) document.title = `${t[title] as string} · Parley`;
  root.textContent = '';
  root.className = 'page';
  render(page(root.dataset), root);
}
