/** English account mail (the fallback for every other language). */
import type { MailCopy } from '../templates.ts';

export const en: MailCopy = {
  dir: 'ltr',
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  pasteLink: 'If the button does not work, copy this address into your browser:',
  colon: ':',
  signoff: (brand) => `The ${brand} team`,
  templates: {
    verify: (p) => ({
      subject: 'Confirm your email address',
      body: [
        'Thanks for joining the conversation. Confirm your email address to start commenting.',
        { button: 'Confirm my address', href: p.link },
        'The link works for 48 hours. If you did not sign up, you can ignore this email.',
      ],
    }),
    'signup-existing': (p) => ({
      subject: 'You already have an account',
      body: [
        'Someone, probably you, tried to sign up with this email address. It already has an account, so you can simply log in.',
        { button: 'Log in', href: p.loginLink },
        { link: 'Forgot your password? Choose a new one here:', href: p.resetLink },
        'If this was not you, ignore this email: nothing has changed.',
      ],
    }),
    reset: (p) => ({
      subject: 'Reset your password',
      body: [
        'We received a request to reset the password of your account.',
        { button: 'Choose a new password', href: p.link },
        'The link works once, for 30 minutes. If you did not ask for it, ignore this email: your password stays the same.',
      ],
    }),
    'change-email': (p) => ({
      subject: 'Confirm your new email address',
      body: [
        'You asked to use this address for your account. Confirm it to complete the change.',
        { button: 'Confirm this address', href: p.link },
        'If you did not ask for this, ignore this email: your account keeps its current address.',
      ],
    }),
    'email-changed': (p) => ({
      subject: 'Your email address has been changed',
      body: [
        `The email address of your account is now ${p.newEmail}. We will write to you there from now on.`,
        'If you did not make this change, contact us right away.',
      ],
    }),
    'deletion-scheduled': (p) => ({
      subject: 'Your account will be deleted',
      body: [
        `As you asked, your account will be deleted on ${p.dueAt}. Your profile will then be erased for good.`,
        'Changed your mind? You can cancel until then.',
        { button: 'Keep my account', href: p.cancelLink },
      ],
    }),
    'account-deleted': () => ({
      subject: 'Your account has been deleted',
      body: [
        'Your account has been deleted and your profile erased, as you asked. Thank you for taking part in the conversation.',
        'This is the last email you will receive from us.',
      ],
    }),
  },
};
