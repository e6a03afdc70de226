/**
 * French interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on French pages; see ../i18n.ts.
 */
import type { Messages } from '../i18n.js';

const fr: Messages = {
  commentsHeading: (n) => `${n} commentaire${n > 1 ? 's' : ''}`,
  loading: 'Chargement des commentaires…',
  retry: 'Réessayer',
  networkError: 'Service de commentaires injoignable.',
  unknownError: 'Une erreur est survenue. Veuillez réessayer.',
  noComments: 'Aucun commentaire pour l’instant.',
  closed: 'Les commentaires sont fermés.',
  joinPrompt: 'Connectez-vous pour participer.',
  signIn: 'Se connecter',
  signOut: 'Se déconnecter',
  signedInAs: 'Connecté en tant que',
  yourAccount: 'Votre compte',
  popupBlocked:
    'Votre navigateur a bloqué la fenêtre de connexion. Autorisez les fenêtres pop-up pour cette page et réessayez.',
  confirmEmail: 'Confirmez votre adresse e-mail pour commenter — nous vous avons envoyé un lien.',
  resendLink: 'Renvoyer le lien',
  linkSent: 'Nouveau lien envoyé. Consultez votre boîte de réception.',
  cancel: 'Annuler',
  yourComment: 'Votre commentaire',
  yourReply: 'Votre réponse',
  formattingHint: '*emphase*, [liens](url), > citations et `code` acceptés.',
  postComment: 'Publier',
  postReply: 'Répondre',
  save: 'Enregistrer',
  reply: 'Répondre',
  edit: 'Modifier',
  delete: 'Supprimer',
  deletePrompt: 'Supprimer ce commentaire ?',
  respect: 'Respect',
  report: 'Signaler',
  reported: 'Signalé',
  reportLegend: 'Pourquoi signalez-vous ce commentaire ?',
  reasons: {
    abuse: 'Abus',
    spam: 'Spam',
    off_topic: 'Hors sujet',
    misinformation: 'Désinformation',
    other: 'Autre',
    hate: 'Haine',
    threat: 'Menaces',
    illegal: 'Contenu illégal',
    privacy: 'Vie privée',
  },
  reportNote: 'Note (facultatif)',
  sendReport: 'Envoyer',
  deleted: 'Ce commentaire a été supprimé',
  awaitingReview: 'En attente de modération',
  removed: 'Retiré par la modération',
  warned: 'Un modérateur vous a averti',
  understand: 'J’ai compris',
  featured: 'À la une',
  edited: 'modifié',
  inReplyTo: 'en réponse à',
  sortBy: 'Trier par',
  sorts: {
    newest: 'Plus récents',
    oldest: 'Plus anciens',
    replies: 'Plus de réponses',
    reactions: 'Plus de réactions',
  },
  newComments: (n) => (n === 1 ? '1 nouveau commentaire' : `${n} nouveaux commentaires`),
  loadMore: 'Plus de commentaires',
  showMoreReplies: (n) =>
    n > 0
      ? `Afficher ${n} autre${n > 1 ? 's' : ''} réponse${n > 1 ? 's' : ''}`
      : 'Afficher d’autres réponses',
  staff: 'Rédaction',
  announcePosted: 'Commentaire publié',
  announcePending: 'Commentaire envoyé en modération',
  announceUpdated: 'Commentaire modifié',
  announceDeleted: 'Commentaire supprimé',
  announceReported: 'Signalement envoyé',
  announceSignedOut: 'Déconnecté',
  revisePrompt:
    'Ce commentaire pourrait enfreindre les règles de la discussion. Voulez-vous le reformuler ?',
  revise: 'Reformuler',
  postAnyway: 'Publier quand même',
};

export default fr;
