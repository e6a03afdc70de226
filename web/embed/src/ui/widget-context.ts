/**
 * What every component of the widget may use: the services, the interface strings of the chosen
 * language, and helpers that reach outside a single component (focus, asking to sign in).
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Messages } from '../i18n.js';
import type { Services } from '../services.js';
import type { SignIn } from '../state/sign-in.js';

export interface Widget extends Services {
  readonly t: Messages;
  /** BCP 47 tag for Intl formatting. */
  readonly locale: string;
  readonly signIn: SignIn;
  /** Signs in a signed-out reader who tried to take part (in their click: it opens a popup). */
  readonly requestSignIn: () => void;
  /** Moves focus to the first element matching the selector once the pending render is done. */
  readonly focus: (selector: string) => void;
}

export const WidgetContext = createContext<Widget | null>(null);

export function useWidget(): Widget {
  const widget = useContext(WidgetContext);
  if (!widget) throw new Error('Parley: component rendered outside the widget');
  return widget;
}

export const commentSelector = (commentId: string): string =>
  `[data-comment-id="${CSS.escape(commentId)}"]`;

export const actionSelector = (commentId: string, action: string): string =>
  `${commentSelector(commentId)} [data-action="${action}"]`;
