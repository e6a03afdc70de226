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
  reply: 'Répondre',
  edit: 'Modifier',
  delete: 'Supprimer',
  respect: 'Respect',
  report: 'Signaler',
  reported: 'Signalé',
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
  deleted: 'Ce commentaire a été supprimé',
  awaitingReview: 'En attente de modération',
  removed: 'Retiré par la modération',
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
  announceSignedOut: 'Déconnecté',
  commentBy: (name) => `Commentaire de ${name}`,
  replyTo: (name) => `Répondre à ${name}`,
  badges: { subscriber: 'Abonné', verified: 'Vérifié', staff: 'Rédaction' },
  copyLink: 'Copier le lien',
  linkCopied: 'Lien copié',
  commentLink: 'Lien vers ce commentaire',
};

export default fr;
