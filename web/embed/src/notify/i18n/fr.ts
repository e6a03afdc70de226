/** The notification features' words in French (see ./en.ts). */
import type { NotifyMessages } from './en.js';

const fr: NotifyMessages = {
  notifications: 'Notifications',
  bell: (n) => (n === 0 ? 'Notifications' : `Notifications, ${n} non lue${n > 1 ? 's' : ''}`),
  close: 'Fermer',
  loading: 'Chargement…',
  markAllRead: 'Tout marquer comme lu',
  settings: 'Réglages des e-mails',
  backToList: 'Retour aux notifications',
  older: 'Afficher les notifications plus anciennes',
  empty:
    'Rien pour l’instant. Les réponses à vos commentaires et ce qu’il advient d’eux s’afficheront ici.',
  unread: 'Non lue\u00a0:',
  what: {
    reply: '{name} a répondu à votre commentaire',
    staff: '{name}, de la rédaction, a répondu dans votre discussion',
    mention: '{name} a cité votre nom',
    approved: 'Votre commentaire a été approuvé et publié',
    rejected: 'Votre commentaire a été retiré',
    featured: 'Votre commentaire a été mis à la une',
  },
  someone: 'Quelqu’un',
  reason: 'Motif\u00a0:',
  onStory: 'Sur {title}',
  anotherStory: 'un autre article',
  announce: 'Nouvelle notification\u00a0: {text}',

  settingsTitle: 'Notifications par e-mail',
  emailLegend: 'M’écrire',
  modes: {
    off: 'Jamais',
    immediate: 'Tout de suite',
    hourly: 'Dans un résumé toutes les heures',
    daily: 'Dans un résumé quotidien',
  },
  kindsLegend: 'À propos',
  kinds: {
    reply: 'Des réponses à mes commentaires',
    staff: 'Des réponses de la rédaction dans mes discussions',
    mention: 'Des mentions de mon nom',
    moderation: 'Des décisions de modération sur mes commentaires',
    featured: 'De mes commentaires mis à la une',
  },
  listNote: 'La liste sous la cloche montre tout, quoi que vous choisissiez ici.',
  unconfirmed: 'Les e-mails commenceront une fois votre adresse confirmée.',
  bounced:
    'Les e-mails envoyés à votre adresse n’ont pas pu être remis, et plus aucun n’est envoyé. Confirmez de nouveau votre adresse dans «\u00a0Votre compte\u00a0».',
  saveSettings: 'Enregistrer les réglages',
  settingsSaved: 'Réglages enregistrés.',

  optIn: 'M’écrire quand quelqu’un répond',
  optInDone: 'Nous vous écrirons quand quelqu’un répondra.',

  mentionsLabel: 'Lecteurs de cette discussion',
  mentionCount: (n) =>
    n === 1
      ? '1 nom proposé\u00a0: choisissez avec les flèches'
      : `${n} noms proposés\u00a0: choisissez avec les flèches`,

  linkedNotice:
    'Vous avez suivi un lien vers un commentaire\u00a0: il s’affiche en premier, sous les commentaires auxquels il répond.',
  showWhole: 'Afficher toute la discussion',
  linkedGone: 'Le commentaire vers lequel menait le lien n’est plus disponible.',
};

export default fr;
