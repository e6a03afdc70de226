/**
 * Spanish interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on Spanish pages; see ../i18n.ts.
 */
import thread from '../../../../src/domain/thread-words/es.js';
import type { Messages } from '../i18n.js';

const es: Messages = {
  ...thread,
  loading: 'Cargando comentarios…',
  retry: 'Reintentar',
  networkError: 'No se pudo conectar con el servicio de comentarios.',
  unknownError: 'Algo salió mal. Inténtalo de nuevo.',
  signOut: 'Cerrar sesión',
  signedInAs: 'Sesión iniciada como',
  yourAccount: 'Tu cuenta',
  popupBlocked:
    'Tu navegador bloqueó la ventana de inicio de sesión. Permite las ventanas emergentes en esta página e inténtalo de nuevo.',
  edit: 'Editar',
  delete: 'Eliminar',
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
  awaitingReview: 'Pendiente de revisión',
  removed: 'Retirado por un moderador',
  newComments: (n) => (n === 1 ? '1 comentario nuevo' : `${n} comentarios nuevos`),
  announceSignedOut: 'Sesión cerrada',
  linkCopied: 'Enlace copiado',
  commentLink: 'Enlace a este comentario',
};

export default es;
