/**
 * Spanish interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on Spanish pages; see ../i18n.ts.
 */
import type { Messages } from '../i18n.js';

const es: Messages = {
  commentsHeading: (n) => `${n} comentario${n === 1 ? '' : 's'}`,
  loading: 'Cargando comentarios…',
  retry: 'Reintentar',
  networkError: 'No se pudo conectar con el servicio de comentarios.',
  unknownError: 'Algo salió mal. Inténtalo de nuevo.',
  noComments: 'Todavía no hay comentarios.',
  closed: 'Los comentarios están cerrados.',
  joinPrompt: 'Inicia sesión para participar.',
  signIn: 'Iniciar sesión',
  signOut: 'Cerrar sesión',
  signedInAs: 'Sesión iniciada como',
  yourAccount: 'Tu cuenta',
  popupBlocked:
    'Tu navegador bloqueó la ventana de inicio de sesión. Permite las ventanas emergentes en esta página e inténtalo de nuevo.',
  reply: 'Responder',
  edit: 'Editar',
  delete: 'Eliminar',
  respect: 'Respeto',
  report: 'Denunciar',
  reported: 'Denunciado',
  reasons: {
    abuse: 'Abuso',
    spam: 'Spam',
    off_topic: 'Fuera de tema',
    misinformation: 'Desinformación',
    other: 'Otro',
    hate: 'Odio',
    threat: 'Amenazas',
    illegal: 'Contenido ilegal',
    privacy: 'Privacidad',
  },
  deleted: 'Este comentario fue eliminado',
  awaitingReview: 'Pendiente de revisión',
  removed: 'Retirado por un moderador',
  featured: 'Destacados',
  edited: 'editado',
  inReplyTo: 'en respuesta a',
  sortBy: 'Ordenar por',
  sorts: {
    newest: 'Recientes',
    oldest: 'Antiguos',
    replies: 'Más respuestas',
    reactions: 'Más reacciones',
  },
  newComments: (n) => (n === 1 ? '1 comentario nuevo' : `${n} comentarios nuevos`),
  loadMore: 'Más comentarios',
  showMoreReplies: (n) =>
    n > 0 ? `Ver ${n} respuesta${n > 1 ? 's' : ''} más` : 'Ver más respuestas',
  staff: 'Redacción',
  announceSignedOut: 'Sesión cerrada',
  commentBy: (name) => `Comentario de ${name}`,
  replyTo: (name) => `Responder a ${name}`,
  badges: { subscriber: 'Suscriptor', verified: 'Verificado', staff: 'Redacción' },
  copyLink: 'Copiar enlace',
  linkCopied: 'Enlace copiado',
  commentLink: 'Enlace a este comentario',
};

export default es;
