/** The notification features' words in French (see ./en.ts). */
import type { NotifyMessages } from './en.js';
import ignore from '../ignore/i18n/fr.js';
import qa from '../qa/i18n/fr.js';

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
    appeal: 'Un modérateur a statué sur votre recours',
    answer: '{name} a répondu à votre question',
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

  guidelines: 'Charte de la communauté',
  discardPrompt: 'Abandonner votre réponse\u00a0?',
  discard: 'Abandonner',
  keepWriting: 'Continuer à écrire',
  editTime: (n) =>
    n === 1
      ? 'Vous pouvez le modifier encore 1 minute'
      : `Vous pouvez le modifier encore ${n} minutes`,
  heldWhy: 'Pourquoi il attend\u00a0:',
  held: {
    PREMOD_SITE: 'Ce site relit chaque commentaire avant de le publier.',
    PREMOD_STORY: 'Les commentaires sur cet article sont relus avant d’être publiés.',
    PREMOD_USER: 'Vos commentaires sont relus avant d’être publiés.',
    PREMOD_NEW_COMMENTER:
      'Les commentaires des nouveaux participants sont relus avant d’être publiés.',
    LINKS_HELD: 'Il contient un lien, qu’un modérateur vérifie d’abord.',
    WORD_SUSPECT: 'Il contient des mots qu’un modérateur vérifie d’abord.',
    CLASSIFIER_HOLD:
      'Notre vérification automatique estime qu’il pourrait enfreindre les règles de la discussion.',
    SITE_MODEL_HOLD:
      'Il ressemble à des commentaires que les modérateurs de ce site ont déjà retirés.',
    POSTING_RATE: 'Vous avez publié plusieurs commentaires en peu de temps.',
    EXTERNAL_HOLD: 'Le service de modération de l’éditeur a demandé une relecture.',
    EXTERNAL_UNAVAILABLE: 'La vérification automatique n’a pas pu aboutir à temps.',
  },
  heldOther: 'Un modérateur le relira avant sa publication.',
  // The Digital Services Act (docs/dsa.md): appeals, and notices of illegal content.
  appealUpheld: 'La décision est maintenue.',
  appealReversed: 'La décision a été annulée : votre commentaire est de nouveau publié.',
  appealWhy: 'L’explication du modérateur :',
  appeal: 'Contester cette décision',
  appealLabel: 'Pourquoi cette décision devrait-elle être réexaminée ?',
  appealHint:
    'Un modérateur qui n’a pas pris la décision l’examinera. Chaque décision peut être contestée une fois.',
  appealSend: 'Envoyer le recours',
  appealSent: 'Votre recours a été envoyé. Vous serez informé de la suite.',
  noticeLegend: 'Contenu illicite',
  noticeHint:
    'Une notification au titre du règlement européen sur les services numériques. Les modérateurs voient votre nom et votre adresse si vous les indiquez.',
  legalGround: 'Fondement juridique (la loi, ou le type d’illégalité)',
  legalGroundExample: 'p. ex. diffamation, incitation à la violence',
  explanation: 'Pourquoi ce contenu est-il illicite ?',
  notifierName: 'Votre nom (facultatif)',
  notifierEmail: 'Votre adresse e-mail (facultatif)',
  goodFaith:
    'Je confirme de bonne foi que les informations de cette notification sont exactes et complètes, à ma connaissance.',
  // The comment forms (ui/Writing.tsx): the composer, a reply, an edit, a report, the question
  // before deleting, what the live region says of each, and the forms' own notices.
  warned: 'Un modérateur vous a averti',
  understand: 'J’ai compris',
  yourComment: 'Votre commentaire',
  yourReply: 'Votre réponse',
  formattingHint: '*emphase*, [liens](url), > citations et `code` acceptés.',
  postComment: 'Publier',
  postReply: 'Répondre',
  save: 'Enregistrer',
  cancel: 'Annuler',
  revisePrompt:
    'Ce commentaire pourrait enfreindre les règles de la discussion. Voulez-vous le reformuler ?',
  revise: 'Reformuler',
  postAnyway: 'Publier quand même',
  confirmEmail: 'Confirmez votre adresse e-mail pour commenter — nous vous avons envoyé un lien.',
  resendLink: 'Renvoyer le lien',
  linkSent: 'Nouveau lien envoyé. Consultez votre boîte de réception.',
  deletePrompt: 'Supprimer ce commentaire ?',
  reportLegend: 'Pourquoi signalez-vous ce commentaire ?',
  reportNote: 'Note (facultatif)',
  sendReport: 'Envoyer',
  announcePosted: 'Commentaire publié',
  announcePending: 'Commentaire envoyé en modération',
  announceUpdated: 'Commentaire modifié',
  announceDeleted: 'Commentaire supprimé',
  announceReported: 'Signalement envoyé',
  // The Q&A feature's words (../qa/i18n).
  qa,
  // Ignoring a reader (../ignore/i18n).
  ignore,
};

export default fr;
