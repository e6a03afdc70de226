/**
 * French interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on French pages; see ../i18n.ts.
 */
import thread from '../../../../src/domain/thread-words/fr.js';
import type { Messages } from '../i18n.js';

const fr: Messages = {
  ...thread,
  loading: 'Chargement des commentaires…',
  retry: 'Réessayer',
  networkError: 'Service de commentaires injoignable.',
  unknownError: 'Une erreur est survenue. Veuillez réessayer.',
  signOut: 'Se déconnecter',
  signedInAs: 'Connecté en tant que',
  yourAccount: 'Votre compte',
  popupBlocked:
    'Votre navigateur a bloqué la fenêtre de connexion. Autorisez les fenêtres pop-up pour cette page et réessayez.',
  edit: 'Modifier',
  delete: 'Supprimer',
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
  awaitingReview: 'En attente de modération',
  removed: 'Retiré par la modération',
  newComments: (n) => (n === 1 ? '1 nouveau commentaire' : `${n} nouveaux commentaires`),
  announceSignedOut: 'Déconnecté',
  linkCopied: 'Lien copié',
  commentLink: 'Lien vers ce commentaire',
};

export default fr;
