/**
 * The account pages' words in English, which also define the shape every other language
 * (./<lang>.ts, typed as Messages) must fill. Each language is built into a script of its own
 * (scripts/build-web.ts), so a page carries only its own words.
 */

import readers from './profile/en.js';

const en = {
  // Page titles.
  signInTitle: 'Sign in to comment',
  accountTitle: 'Your account',
  verifyTitle: 'Confirm your address',
  resetTitle: 'Choose a new password',
  emailTitle: 'Confirm your new address',
  signUpTitle: 'Create an account',
  forgotTitle: 'Reset your password',

  // Fields and buttons shared by the forms.
  email: 'Email',
  password: 'Password',
  displayName: 'Display name',
  passwordHint: 'At least 8 characters.',
  logIn: 'Log in',
  signUp: 'Create an account',
  forgotPassword: 'Forgot your password?',
  sendLink: 'Send me a link',
  backToLogIn: 'Back to log in',
  or: 'or',
  continueWith: (label: string) => `Continue with ${label}`,
  working: 'One moment…',

  // Answers to the sign-in forms.
  signUpSent: (email: string) =>
    `We sent a message to ${email}. Open the link in it in this browser to confirm your address: you will be signed in here.`,
  forgotSent: (email: string) =>
    `If an account uses ${email}, we sent it a link to choose a new password. The link works for 30 minutes.`,
  signedIn: 'You are signed in. You can close this window.',
  noOpener:
    'The page that opened this window has gone. Go back to the comments and sign in from there.',
  noMethods: 'This site offers no way to sign in here.',

  // Errors.
  invalidCredentials: 'The email or password is not right.',
  tooManyAttempts: (when: string) => `Too many attempts. Try again ${when}.`,
  tooManyRequests: 'Too many requests. Wait a moment and try again.',
  networkError: 'Could not reach Parley. Check your connection and try again.',
  unknownError: 'Something went wrong. Please try again.',
  emailTaken: 'Another account already uses this address.',
  wrongPassword: 'The password is not right.',
  sessionEnded: 'Your session has ended. Log in again.',

  // The mailed links.
  checking: 'Checking the link…',
  missingToken: 'This link is incomplete. Copy the whole link from the email into the address bar.',
  invalidLink: 'This link has expired or has already been used.',
  verified: 'Your address is confirmed. Log in with your password to comment.',
  signedInHere: (name: string) =>
    `You are signed in as ${name} on this page. Back at the article, sign in to comment.`,
  verifiedThere:
    'Your address is confirmed, and you are signed in where you signed up. You can close this page.',
  verifiedHere: (name: string) =>
    `Your address is confirmed, and you are signed in as ${name} on this page. Back at the article, sign in to comment.`,
  backToArticle: 'Back to the article',
  verifyAgain:
    'To get a new link, log in where you comment, open “Your account” and choose “Send the link again”.',
  newPassword: 'New password',
  savePassword: 'Save the new password',
  passwordReset:
    'Your password is changed and you are signed out everywhere. Log in again where you comment.',
  resetAgain: 'To get a new link, choose “Forgot your password?” when you log in.',
  emailChanged: (email: string) => `Your address is now ${email}.`,

  // Your account.
  connecting: 'Connecting to the comments…',
  logInToManage: 'Log in to manage your account.',
  publisherAccount:
    'If you comment with your newspaper’s account, open “Your account” from the comments instead.',
  signedInAs: (name: string) => `Signed in as ${name}`,
  profile: 'Profile',
  save: 'Save',
  nameSaved: 'Your display name is changed.',
  nameTooSoon: 'You changed your display name recently; you can change it again later.',
  addressSection: 'Email address',
  currentAddress: (email: string) => `Your address: ${email}`,
  notVerified: 'Your address is not confirmed yet.',
  sendAgain: 'Send the link again',
  verifySent: 'We sent a new link. Check your email.',
  newEmail: 'New address',
  changeEmail: 'Change address',
  emailSent: (email: string) =>
    `We sent a link to ${email}. Your address changes when you follow it.`,
  passwordSection: 'Password',
  currentPassword: 'Current password',
  changePassword: 'Change password',
  passwordChanged: 'Your password is changed. Your other sessions are signed out.',
  sessionsSection: 'Where you are signed in',
  thisDevice: 'This device',
  unknownDevice: 'Unknown device',
  device: (browser: string | null, os: string | null) =>
    browser && os ? `${browser} on ${os}` : browser || os || '',
  thisNamedDevice: (device: string) => `${device} (this device)`,
  signedInOn: (date: string) => `Since ${date}`,
  signOut: 'Sign out',
  signOutEverywhere: 'Sign out everywhere',
  signedOutEverywhere: 'You are signed out everywhere. You can close this window.',
  dataSection: 'Your data',
  dataExplained: 'Your profile, comments, reactions and reports, in one JSON file.',
  download: 'Download my data',
  downloaded: 'Your data is downloaded.',
  deleteSection: 'Delete your account',
  deleteExplained:
    'Your profile is erased after a grace period during which you can change your mind. Your comments are then removed or shown as “[deleted]”, as the site decides.',
  confirmWithPassword: 'Enter your password to confirm',
  deleteAccount: 'Delete my account',
  deletionDue: (date: string) => `Your account will be deleted on ${date}.`,
  cancelDeletion: 'Keep my account',
  deletionCancelled: 'The deletion is cancelled: your account stays.',

  // Notifications.
  notificationsSection: 'Notifications',
  unreadCount: (n: number) =>
    n === 0 ? 'Nothing unread.' : n === 1 ? '1 unread notification' : `${n} unread notifications`,
  noNotifications: 'Nothing yet. Replies to your comments and news about them will show here.',
  unread: 'Unread:',
  markAllRead: 'Mark all read',
  what: {
    reply: '{name} replied to your comment',
    staff: '{name} of the newsroom replied in your discussion',
    mention: '{name} mentioned you',
    approved: 'Your comment was approved and published',
    rejected: 'Your comment was removed',
    featured: 'Your comment was featured',
    appeal: 'A moderator decided your appeal',
    answer: '{name} answered your question',
  },
  someone: 'Someone',
  reason: 'Reason:',
  reasons: {
    abuse: 'Abuse',
    spam: 'Spam',
    off_topic: 'Off topic',
    misinformation: 'Misinformation',
    other: 'Other',
    hate: 'Hate',
    threat: 'Threats',
    illegal: 'Illegal',
    privacy: 'Privacy',
  },
  onStory: 'On {title}',
  untitledStory: 'an article',
  mailSettings: 'Email notifications',
  emailLegend: 'Email me',
  modes: {
    off: 'Never',
    immediate: 'Straight away',
    hourly: 'In an hourly digest',
    daily: 'In a daily digest',
  },
  kindsLegend: 'About',
  kinds: {
    reply: 'Replies to my comments',
    staff: 'Replies from the newsroom in my discussions',
    mention: 'Mentions of my name',
    moderation: 'Moderation decisions about my comments',
    featured: 'My comments being featured',
  },
  mailUnconfirmed: 'Mail starts once you confirm your email address.',
  mailBounced:
    'Mail to your address could not be delivered, so none is sent until you confirm the address again.',
  saveSettings: 'Save settings',
  settingsSaved: 'Your notification settings are saved.',
  // Your profile and the readers you ignore (./profile).
  readers,
};

export default en;
export type Messages = typeof en;
