/** French mail. */
import { alertBlocks, digestBlocks, plural } from '../compose.ts';
import type { MailCopy, NotifyParams } from '../templates.ts';

const story = (p: NotifyParams) => `« ${p.storyTitle} »`;
const on = (title: string | null | undefined) => (title ? ` sur « ${title} »` : '');

export const fr: MailCopy = {
  dir: 'ltr',
  greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
  pasteLink: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
  colon: ' :',
  signoff: (brand) => `L’équipe ${brand}`,
  lists: {
    reply: 'les réponses à vos commentaires',
    staff: 'les réponses de la rédaction dans vos conversations',
    mention: 'les mentions de votre nom',
    moderation: 'la modération de vos commentaires',
    featured: 'la mise en avant de vos commentaires',
    digest: 'l’activité autour de vos commentaires (résumés)',
  },
  footer: (list, site) =>
    `Vous recevez cet e-mail parce que vous avez demandé à ${site} de vous écrire au sujet de ${list}.`,
  unsubscribe: 'Se désabonner en un clic',
  reasons: {
    abuse: 'Abus',
    hate: 'Haine',
    threat: 'Menaces',
    spam: 'Spam',
    off_topic: 'Hors sujet',
    illegal: 'Contenu illégal',
    privacy: 'Vie privée',
    misinformation: 'Désinformation',
    other: 'Autre',
  },
  unsubscribePage: {
    title: 'Se désabonner',
    question: (list) => `Ne plus recevoir d’e-mails au sujet de ${list} ?`,
    undo: 'Vous pourrez les réactiver à tout moment dans vos réglages de notification.',
    button: 'Me désabonner',
    done: (list) => `C’est fait. Vous ne recevrez plus d’e-mails au sujet de ${list}.`,
    invalid:
      'Ce lien de désabonnement n’est pas valide. Vérifiez que vous avez copié l’adresse entière depuis l’e-mail, ou modifiez vos choix dans vos réglages de notification.',
    settings: 'Vos réglages de notification',
  },
  templates: {
    verify: (p) => ({
      subject: 'Confirmez votre adresse e-mail',
      body: [
        'Merci de rejoindre la discussion. Confirmez votre adresse e-mail pour commencer à commenter.',
        { button: 'Confirmer mon adresse', href: p.link },
        'Ce lien est valable 48 heures. Si vous n’êtes pas à l’origine de cette inscription, ignorez simplement cet e-mail.',
      ],
    }),
    'signup-existing': (p) => ({
      subject: 'Vous avez déjà un compte',
      body: [
        'Quelqu’un, sans doute vous, a tenté de s’inscrire avec cette adresse e-mail. Un compte existe déjà : il vous suffit de vous connecter.',
        { button: 'Se connecter', href: p.loginLink },
        { link: 'Mot de passe oublié ? Choisissez-en un nouveau ici :', href: p.resetLink },
        'Si ce n’était pas vous, ignorez cet e-mail : rien n’a changé.',
      ],
    }),
    reset: (p) => ({
      subject: 'Réinitialisez votre mot de passe',
      body: [
        'Nous avons reçu une demande de réinitialisation du mot de passe de votre compte.',
        { button: 'Choisir un nouveau mot de passe', href: p.link },
        'Ce lien ne sert qu’une fois et reste valable 30 minutes. Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe ne change pas.',
      ],
    }),
    'change-email': (p) => ({
      subject: 'Confirmez votre nouvelle adresse e-mail',
      body: [
        'Vous avez demandé à utiliser cette adresse pour votre compte. Confirmez-la pour terminer le changement.',
        { button: 'Confirmer cette adresse', href: p.link },
        'Si vous n’avez rien demandé, ignorez cet e-mail : votre compte garde son adresse actuelle.',
      ],
    }),
    'email-changed': (p) => ({
      subject: 'Votre adresse e-mail a été modifiée',
      body: [
        `L’adresse e-mail de votre compte est désormais ${p.newEmail}. C’est là que nous vous écrirons à l’avenir.`,
        'Si vous n’êtes pas à l’origine de ce changement, contactez-nous sans attendre.',
      ],
    }),
    'deletion-scheduled': (p) => ({
      subject: 'Votre compte va être supprimé',
      body: [
        `Comme vous l’avez demandé, votre compte sera supprimé le ${p.dueAt}. Votre profil sera alors effacé définitivement.`,
        'Vous avez changé d’avis ? Vous pouvez annuler d’ici là.',
        { button: 'Garder mon compte', href: p.cancelLink },
      ],
    }),
    'account-deleted': () => ({
      subject: 'Votre compte a été supprimé',
      body: [
        'Votre compte a été supprimé et votre profil effacé, comme vous l’avez demandé. Merci d’avoir pris part à la discussion.',
        'C’est le dernier e-mail que vous recevrez de notre part.',
      ],
    }),
    'notify-reply': (p) => ({
      subject: `${p.actor} a répondu à votre commentaire`,
      body: [
        `${p.actor} a répondu à votre commentaire sur ${story(p)} :`,
        { quote: p.excerpt },
        { button: 'Lire la réponse', href: p.link },
      ],
    }),
    'notify-staff': (p) => ({
      subject: `${p.actor}, de ${p.siteName}, a rejoint votre conversation`,
      body: [
        `${p.actor}, de la rédaction de ${p.siteName}, a répondu dans une conversation à laquelle vous participez sur ${story(p)} :`,
        { quote: p.excerpt },
        { button: 'Lire la réponse', href: p.link },
      ],
    }),
    'notify-answer': (p) => ({
      subject: `${p.actor} a répondu à votre question`,
      body: [
        `${p.actor}, de la rédaction de ${p.siteName}, a répondu à votre question sur ${story(p)} :`,
        { quote: p.excerpt },
        { button: 'Lire la réponse', href: p.link },
      ],
    }),
    'notify-mention': (p) => ({
      subject: `${p.actor} vous a mentionné`,
      body: [
        `${p.actor} vous a mentionné dans un commentaire sur ${story(p)} :`,
        { quote: p.excerpt },
        { button: 'Lire le commentaire', href: p.link },
      ],
    }),
    'notify-approved': (p) => ({
      subject: 'Votre commentaire est publié',
      body: [
        `Votre commentaire sur ${story(p)} a été relu et il est désormais publié, visible de tous :`,
        { quote: p.excerpt },
        { button: 'Voir mon commentaire', href: p.link },
      ],
    }),
    'notify-rejected': (p) => ({
      subject: 'Votre commentaire n’a pas été publié',
      body: [
        `Après relecture, votre commentaire sur ${story(p)} n’a pas été publié.`,
        `Motif : ${fr.reasons[p.reasonCode.toLowerCase()] ?? fr.reasons.other}`,
        ...(p.note === null ? [] : [`La note du modérateur : ${p.note}`]),
        'Votre commentaire :',
        { quote: p.excerpt },
        { action: 'Le voir sous l’article (vous seul le voyez)', href: p.link },
        ...(p.guidelinesLink === null
          ? []
          : [
              {
                link: 'Ce que nous publions est expliqué dans notre charte de participation :',
                href: p.guidelinesLink,
              },
            ]),
      ],
    }),
    'notify-appeal': (p) => ({
      subject:
        p.outcome === 'reversed'
          ? `Votre recours a été accepté : votre commentaire est de nouveau publié`
          : `Votre recours a été examiné : la décision est maintenue`,
      body: [
        p.outcome === 'reversed'
          ? `Un modérateur qui n’avait pas pris la décision a examiné votre recours concernant votre commentaire sur ${story(p)} et l’a annulée : le commentaire est de nouveau publié.`
          : `Un modérateur qui n’avait pas pris la décision a examiné votre recours concernant votre commentaire sur ${story(p)}. La décision est maintenue : le commentaire reste non publié.`,
        ...(p.note === null ? [] : [`L’explication du modérateur : ${p.note}`]),
        `Votre commentaire :`,
        { quote: p.excerpt },
        { action: `Le voir sous l’article`, href: p.link },
      ],
    }),
    'notify-featured': (p) => ({
      subject: 'Votre commentaire est mis en avant',
      body: [
        `La rédaction de ${p.siteName} a choisi de mettre en avant votre commentaire sur ${story(p)} :`,
        { quote: p.excerpt },
        { button: 'Voir mon commentaire', href: p.link },
        'Merci d’enrichir la conversation.',
      ],
    }),
    'notice-received': (p) => ({
      subject: `Nous avons reçu votre signalement de contenu illicite`,
      body: [
        `Nous avons reçu votre signalement d’un commentaire sur « ${p.storyTitle} » comme contenu illicite, pour ce motif juridique : ${p.legalGround}`,
        `Un modérateur va l’examiner. Le commentaire :`,
        { action: `Le voir sous l’article`, href: p.link },
      ],
    }),
    'notify-digest': (p) => ({
      subject:
        p.period === 'hourly'
          ? `Votre dernière heure sur ${p.siteName} : réponses et nouvelles de vos commentaires`
          : `Votre journée sur ${p.siteName} : réponses et nouvelles de vos commentaires`,
      body: [
        p.period === 'hourly'
          ? 'Voici ce qui s’est passé autour de vos commentaires au cours de la dernière heure.'
          : 'Voici ce qui s’est passé autour de vos commentaires depuis hier.',
        ...digestBlocks(p, {
          item: (item) => {
            switch (item.kind) {
              case 'reply':
                return `${item.author} a répondu à votre commentaire :`;
              case 'staff':
                return `${item.author}, de la rédaction, a répondu dans votre conversation :`;
              case 'answer':
                return `${item.author}, de la rédaction, a répondu à votre question :`;
              case 'mention':
                return `${item.author} vous a mentionné :`;
              case 'approved':
                return 'Votre commentaire a été publié :';
              case 'rejected':
                return `Votre commentaire n’a pas été publié (${fr.reasons[item.reasonCode?.toLowerCase() ?? ''] ?? fr.reasons.other}) :`;
              case 'featured':
                return 'Votre commentaire a été mis en avant :';
              case 'appeal':
                return `Un modérateur a statué sur votre recours :`;
            }
          },
          open: 'Le lire dans l’article',
          moreOnStory: (n) =>
            plural('fr', n, {
              one: `Et ${n} autre sur cet article`,
              other: `Et ${n} autres sur cet article`,
            }),
          moreElsewhere: (n) =>
            plural('fr', n, {
              one: `Et ${n} autre notification sur d’autres articles : les notifications, sous n’importe quel article, les affichent toutes.`,
              other: `Et ${n} autres notifications sur d’autres articles : les notifications, sous n’importe quel article, les affichent toutes.`,
            }),
        }),
      ],
    }),
    'moderator-alert': (p) => {
      const words = {
        item: (author: string, reason: string) => `${author} · ${reason}`,
        review: 'Examiner',
      };
      switch (p.kind) {
        case 'pending':
          return {
            subject: plural('fr', p.count, {
              one: `${p.count} commentaire attend d’être relu sur ${p.siteName}`,
              other: `${p.count} commentaires attendent d’être relus sur ${p.siteName}`,
            }),
            body: [
              `De nouveaux commentaires attendent dans la file de modération de ${p.siteName}.`,
              ...alertBlocks(p, words),
              { button: 'Ouvrir la file', href: p.link },
            ],
          };
        case 'reported':
          return {
            subject: plural('fr', p.count, {
              one: `Un commentaire a été signalé sur ${p.siteName}`,
              other: `${p.count} commentaires ont été signalés sur ${p.siteName}`,
            }),
            body: [
              `Des lecteurs ont signalé ce qui suit${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'Ouvrir les signalements', href: p.link },
            ],
          };
        case 'threshold':
          return {
            subject: `Les signalements s’accumulent sur un commentaire de ${p.siteName}`,
            body: [
              `Des lecteurs ont signalé ceci plus souvent que votre seuil d’alerte ne le permet${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'Ouvrir les signalements', href: p.link },
            ],
          };
        case 'spike':
          return {
            subject: `Les commentaires affluent sur ${p.siteName}`,
            body: [
              p.storyTitle
                ? `« ${p.storyTitle} » reçoit bien plus de commentaires que d’habitude. Les derniers :`
                : 'Un article reçoit bien plus de commentaires que d’habitude. Les derniers :',
              ...alertBlocks(p, words),
              { button: 'Suivre les commentaires de l’article', href: p.link },
            ],
          };
        case 'digest':
          return {
            subject: plural('fr', p.count, {
              one: `${p.count} commentaire attend une décision sur ${p.siteName}`,
              other: `${p.count} commentaires attendent une décision sur ${p.siteName}`,
            }),
            body: [
              `Où en sont les files de modération de ${p.siteName}. Les premiers commentaires en attente :`,
              ...alertBlocks(p, words),
              { button: 'Ouvrir les files', href: p.link },
            ],
          };
        case 'test':
          return {
            subject: `Alerte de test de ${p.siteName}`,
            body: [
              `Ceci est un test. Les alertes de modération de ${p.siteName} vous parviennent à cette adresse.`,
              ...alertBlocks(p, words),
              { button: 'Ouvrir le tableau de bord', href: p.link },
            ],
          };
      }
    },
    'webhook-disabled': (p) => ({
      subject: `Un webhook de ${p.siteName} a été désactivé`,
      body: [
        `Toutes les livraisons vers ${p.url} échouent depuis le ${p.since} : le point de réception a donc été désactivé et ne reçoit plus d’événements.`,
        `La dernière erreur : ${p.reason}`,
        { button: 'Voir le point de réception et ses livraisons', href: p.link },
        'Une fois le récepteur rétabli, réactivez le point de réception dans le tableau de bord.',
      ],
    }),
  },
};
