/**
 * The words of a comment thread as a signed-out reader first sees it, in French: see ./en.ts.
 */
import type { ThreadWords } from './en.ts';

const fr: ThreadWords = {
  commentsHeading: (n) => `${n} commentaire${n > 1 ? 's' : ''}`,
  noComments: 'Aucun commentaire pour l’instant.',
  closed: 'Les commentaires sont fermés.',
  joinPrompt: 'Connectez-vous pour participer.',
  signIn: 'Se connecter',
  reply: 'Répondre',
  respect: 'Respect',
  report: 'Signaler',
  deleted: 'Ce commentaire a été supprimé',
  featured: 'À la une',
  /** Marks a comment the site pins above its default order. */
  pinned: 'Épinglé',
  edited: 'modifié',
  inReplyTo: 'en réponse à',
  sortBy: 'Trier par',
  sorts: {
    newest: 'Plus récents',
    oldest: 'Plus anciens',
    replies: 'Plus de réponses',
    reactions: 'Plus de réactions',
    best: 'Meilleurs',
  },
  loadMore: 'Plus de commentaires',
  showMoreReplies: (n) =>
    n > 0
      ? `Afficher ${n} autre${n > 1 ? 's' : ''} réponse${n > 1 ? 's' : ''}`
      : 'Afficher d’autres réponses',
  staff: 'Rédaction',
  commentBy: (name) => `Commentaire de ${name}`,
  replyTo: (name) => `Répondre à ${name}`,
  badges: { subscriber: 'Abonné', verified: 'Vérifié', staff: 'Rédaction' },
  copyLink: 'Copier le lien',
};

export default fr;
