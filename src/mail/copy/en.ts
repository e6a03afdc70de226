/** English mail (the fallback for every other language). */
import { alertBlocks, digestBlocks, plural } from '../compose.ts';
import type { MailCopy, NotifyParams } from '../templates.ts';

const story = (p: NotifyParams) => `“${p.storyTitle}”`;
const on = (title: string | null | undefined) => (title ? ` on “${title}”` : '');

export const en: MailCopy = {
  dir: 'ltr',
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  pasteLink: 'If the button does not work, copy this address into your browser:',
  colon: ':',
  signoff: (brand, name) => (/^the\s/i.test(name) ? `${brand} team` : `The ${brand} team`),
  lists: {
    reply: 'replies to your comments',
    staff: 'replies from the newsroom in your conversations',
    mention: 'mentions of your name',
    moderation: 'the review of your comments',
    featured: 'your comments being featured',
    digest: 'activity around your comments (summaries)',
  },
  footer: (list, site) =>
    `You are receiving this email because you asked ${site} for emails about ${list}.`,
  unsubscribe: 'Unsubscribe with one click',
  reasons: {
    abuse: 'Abuse',
    hate: 'Hate',
    threat: 'Threats',
    spam: 'Spam',
    off_topic: 'Off topic',
    illegal: 'Illegal',
    privacy: 'Privacy',
    misinformation: 'Misinformation',
    other: 'Other',
  },
  unsubscribePage: {
    title: 'Unsubscribe',
    question: (list) => `Stop emails about ${list}?`,
    undo: 'You can turn them on again at any time in your notification settings.',
    button: 'Unsubscribe',
    done: (list) => `Done. You will no longer receive emails about ${list}.`,
    invalid:
      'This unsubscribe link is not valid. Check that you copied the whole address from the email, or change your choices in your notification settings.',
    settings: 'Your notification settings',
  },
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
    'notify-reply': (p) => ({
      subject: `${p.actor} replied to your comment`,
      body: [
        `${p.actor} replied to your comment on ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'Read the reply', href: p.link },
      ],
    }),
    'notify-staff': (p) => ({
      subject: `${p.actor} of ${p.siteName} joined your conversation`,
      body: [
        `${p.actor}, of the ${p.siteName} newsroom, replied in a conversation you are part of on ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'Read the reply', href: p.link },
      ],
    }),
    'notify-answer': (p) => ({
      subject: `${p.actor} answered your question`,
      body: [
        `${p.actor}, of the ${p.siteName} newsroom, answered your question on ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'Read the answer', href: p.link },
      ],
    }),
    'notify-mention': (p) => ({
      subject: `${p.actor} mentioned you`,
      body: [
        `${p.actor} mentioned you in a comment on ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'Read the comment', href: p.link },
      ],
    }),
    'notify-approved': (p) => ({
      subject: 'Your comment has been published',
      body: [
        `Your comment on ${story(p)} has been reviewed and is now published for everyone to read:`,
        { quote: p.excerpt },
        { button: 'See your comment', href: p.link },
      ],
    }),
    'notify-rejected': (p) => ({
      subject: 'Your comment was not published',
      body: [
        `After review, your comment on ${story(p)} was not published.`,
        `Reason: ${en.reasons[p.reasonCode.toLowerCase()] ?? en.reasons.other}`,
        ...(p.note === null ? [] : [`The moderator’s note: ${p.note}`]),
        'Your comment:',
        { quote: p.excerpt },
        { action: 'See it under the article (only you can see it)', href: p.link },
        ...(p.guidelinesLink === null
          ? []
          : [
              {
                link: 'What we publish is explained in our community guidelines:',
                href: p.guidelinesLink,
              },
            ]),
      ],
    }),
    'notify-appeal': (p) => ({
      subject:
        p.outcome === 'reversed'
          ? `Your appeal was accepted: your comment is published again`
          : `Your appeal was reviewed: the decision stands`,
      body: [
        p.outcome === 'reversed'
          ? `A moderator who had not taken the decision reviewed your appeal about your comment on ${story(p)} and reversed it: the comment is published again.`
          : `A moderator who had not taken the decision reviewed your appeal about your comment on ${story(p)}. The decision stands: the comment stays unpublished.`,
        ...(p.note === null ? [] : [`The moderator’s explanation: ${p.note}`]),
        `Your comment:`,
        { quote: p.excerpt },
        { action: `See it under the article`, href: p.link },
      ],
    }),
    'notify-featured': (p) => ({
      subject: 'Your comment has been featured',
      body: [
        `The editors of ${p.siteName} picked your comment on ${story(p)} as a featured comment:`,
        { quote: p.excerpt },
        { button: 'See your comment', href: p.link },
        'Thank you for adding to the conversation.',
      ],
    }),
    'notice-received': (p) => ({
      subject: `We received your report of illegal content`,
      body: [
        `We received your report of a comment on “${p.storyTitle}” as illegal content, on this legal ground: ${p.legalGround}`,
        `A moderator will review it. The comment:`,
        { action: `See it under the article`, href: p.link },
      ],
    }),
    'notify-digest': (p) => ({
      subject:
        p.period === 'hourly'
          ? `Your last hour on ${p.siteName}: replies and news of your comments`
          : `Your day on ${p.siteName}: replies and news of your comments`,
      body: [
        p.period === 'hourly'
          ? 'Here is what happened around your comments in the last hour.'
          : 'Here is what happened around your comments since yesterday.',
        ...digestBlocks(p, {
          item: (item) => {
            switch (item.kind) {
              case 'reply':
                return `${item.author} replied to your comment:`;
              case 'staff':
                return `${item.author}, of the newsroom, replied in your conversation:`;
              case 'answer':
                return `${item.author}, of the newsroom, answered your question:`;
              case 'mention':
                return `${item.author} mentioned you:`;
              case 'approved':
                return 'Your comment was published:';
              case 'rejected':
                return `Your comment was not published (${en.reasons[item.reasonCode?.toLowerCase() ?? ''] ?? en.reasons.other}):`;
              case 'featured':
                return 'Your comment was featured:';
              case 'appeal':
                return `A moderator decided your appeal:`;
            }
          },
          open: 'Read it in the article',
          moreOnStory: (n) =>
            plural('en', n, {
              one: 'And 1 more on this article',
              other: `And ${n} more on this article`,
            }),
          moreElsewhere: (n) =>
            plural('en', n, {
              one: 'And 1 more notification on other articles: the notifications under any article list them all.',
              other: `And ${n} more notifications on other articles: the notifications under any article list them all.`,
            }),
        }),
      ],
    }),
    'moderator-alert': (p) => {
      const words = {
        item: (author: string, reason: string) => `${author} · ${reason}`,
        review: 'Review',
      };
      switch (p.kind) {
        case 'pending':
          return {
            subject: plural('en', p.count, {
              one: `1 comment awaits review on ${p.siteName}`,
              other: `${p.count} comments await review on ${p.siteName}`,
            }),
            body: [
              `New comments are waiting in the pending queue of ${p.siteName}.`,
              ...alertBlocks(p, words),
              { button: 'Open the queue', href: p.link },
            ],
          };
        case 'reported':
          return {
            subject: plural('en', p.count, {
              one: `A comment was reported on ${p.siteName}`,
              other: `${p.count} comments were reported on ${p.siteName}`,
            }),
            body: [
              `Readers reported what follows${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'Open the reported queue', href: p.link },
            ],
          };
        case 'threshold':
          return {
            subject: `Readers keep reporting a comment on ${p.siteName}`,
            body: [
              `Readers have reported this more times than your alert allows${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'Open the reported queue', href: p.link },
            ],
          };
        case 'spike':
          return {
            subject: `Comments are pouring in on ${p.siteName}`,
            body: [
              p.storyTitle
                ? `“${p.storyTitle}” is drawing far more comments than usual. The latest:`
                : 'An article is drawing far more comments than usual. The latest:',
              ...alertBlocks(p, words),
              { button: 'Watch the article’s comments', href: p.link },
            ],
          };
        case 'digest':
          return {
            subject: plural('en', p.count, {
              one: `1 comment awaits a decision on ${p.siteName}`,
              other: `${p.count} comments await a decision on ${p.siteName}`,
            }),
            body: [
              `Where the moderation queues of ${p.siteName} stand. The first comments waiting:`,
              ...alertBlocks(p, words),
              { button: 'Open the queues', href: p.link },
            ],
          };
        case 'test':
          return {
            subject: `Test alert from ${p.siteName}`,
            body: [
              `This is a test. Moderator alerts of ${p.siteName} reach you at this address.`,
              ...alertBlocks(p, words),
              { button: 'Open the dashboard', href: p.link },
            ],
          };
      }
    },
    'webhook-disabled': (p) => ({
      subject: `A webhook of ${p.siteName} has been turned off`,
      body: [
        `Every delivery to ${p.url} has failed since ${p.since}, so the endpoint has been turned off: no more events are sent to it.`,
        `The last error: ${p.reason}`,
        { button: 'See the endpoint and its deliveries', href: p.link },
        'Once the receiver works again, turn the endpoint back on in the dashboard.',
      ],
    }),
  },
};
