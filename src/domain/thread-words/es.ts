/**
 * The words of a comment thread as a signed-out reader first sees it, in Spanish: see ./en.ts.
 */
import type { ThreadWords } from './en.ts';

const es: ThreadWords = {
  commentsHeading: (n) => `${n} comentario${n === 1 ? '' : 's'}`,
  noComments: 'Todavía no hay comentarios.',
  closed: 'Los comentarios están cerrados.',
  joinPrompt: 'Inicia sesión para participar.',
  signIn: 'Iniciar sesión',
  reply: 'Responder',
  respect: 'Respeto',
  report: 'Denunciar',
  deleted: 'Este comentario fue eliminado',
  featured: 'Destacados',
  /** Marks a comment the site pins above its default order. */
  pinned: 'Fijado',
  edited: 'editado',
  inReplyTo: 'en respuesta a',
  sortBy: 'Ordenar por',
  sorts: {
    newest: 'Recientes',
    oldest: 'Antiguos',
    replies: 'Más respuestas',
    reactions: 'Más reacciones',
    best: 'Mejores',
  },
  loadMore: 'Más comentarios',
  showMoreReplies: (n) =>
    n > 0 ? `Ver ${n} respuesta${n > 1 ? 's' : ''} más` : 'Ver más respuestas',
  staff: 'Redacción',
  commentBy: (name) => `Comentario de ${name}`,
  replyTo: (name) => `Responder a ${name}`,
  badges: { subscriber: 'Suscriptor', verified: 'Verificado', staff: 'Redacción' },
  copyLink: 'Copiar enlace',
};

export default es;
