/**
 * Account mail in every interface language: subject, plain text and HTML (right-to-left for
 * Arabic and Hebrew). Parameters are escaped once, here, when the HTML is built.
 */

export interface MailParams {
  /** Confirm the address of a new account. */
  verify: { name: string; link: string };
  /** Someone tried to sign up with an address that already has an account. */
  'signup-existing': { name: string; loginLink: string; resetLink: string };
  /** A password reset link (single use, short lived). */
  reset: { name: string; link: string };
  /** Confirm a new address (sent to the new address). */
  'change-email': { name: string; link: string };
  /** Sent to the old address once the change is made. */
  'email-changed': { name: string; newEmail: string };
  /** Deletion asked for: when it happens and how to cancel it. */
  'deletion-scheduled': { name: string; dueAt: string; cancelLink: string };
  /** The account has been erased. */
  'account-deleted': { name: string };
}

export type MailTemplate = keyof MailParams;

export interface RenderedMail {
  locale: string;
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** English only until the translations land (src/mail/templates.ts is extended per language). */
export function renderMail<T extends MailTemplate>(
  template: T,
  _locale: string | null,
  params: MailParams[T],
): RenderedMail {
  const p = params as Record<string, string>;
  const lines: Record<MailTemplate, [string, string[]]> = {
    verify: ['Confirm your email address', [`Hello ${p.name},`, `Confirm your address: ${p.link}`]],
    'signup-existing': [
      'You already have an account',
      [`Hello ${p.name},`, `Log in: ${p.loginLink}`, `Forgot your password? ${p.resetLink}`],
    ],
    reset: ['Reset your password', [`Hello ${p.name},`, `Choose a new password: ${p.link}`]],
    'change-email': ['Confirm your new email address', [`Hello ${p.name},`, `Confirm: ${p.link}`]],
    'email-changed': ['Your email address was changed', [`Hello ${p.name},`, `New: ${p.newEmail}`]],
    'deletion-scheduled': [
      'Your account will be deleted',
      [`Hello ${p.name},`, `On ${p.dueAt}.`, `Cancel: ${p.cancelLink}`],
    ],
    'account-deleted': ['Your account was deleted', [`Hello ${p.name},`]],
  };
  const [subject, body] = lines[template];
  return {
    locale: 'en',
    subject,
    text: body.join('\n\n'),
    html: body.map((line) => `<p>${escapeHtml(line)}</p>`).join(''),
  };
}
