/** French account mail. */
import type { MailCopy } from '../templates.ts';

export const fr: MailCopy = {
  dir: 'ltr',
  greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
  pasteLink: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
  colon: ' :',
  signoff: (brand) => `L’équipe ${brand}`,
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
  },
};
