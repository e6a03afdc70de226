/** The notification features' words in Spanish (see ./en.ts). */
import type { NotifyMessages } from './en.js';
import ignore from '../ignore/i18n/es.js';
import qa from '../qa/i18n/es.js';

const es: NotifyMessages = {
  notifications: 'Notificaciones',
  bell: (n) => (n === 0 ? 'Notificaciones' : `Notificaciones, ${n} sin leer`),
  close: 'Cerrar',
  loading: 'Cargando…',
  markAllRead: 'Marcar todo como leído',
  settings: 'Ajustes de correo',
  backToList: 'Volver a las notificaciones',
  older: 'Mostrar notificaciones anteriores',
  empty:
    'Nada todavía. Aquí aparecerán las respuestas a tus comentarios y las novedades sobre ellos.',
  unread: 'Sin leer:',
  what: {
    reply: '{name} respondió a tu comentario',
    staff: '{name}, de la redacción, respondió en tu conversación',
    mention: '{name} te mencionó',
    approved: 'Tu comentario fue aprobado y publicado',
    rejected: 'Tu comentario fue retirado',
    featured: 'Tu comentario fue destacado',
    appeal: 'Un moderador resolvió tu recurso',
    answer: '{name} respondió a tu pregunta',
  },
  someone: 'Alguien',
  reason: 'Motivo:',
  onStory: 'En {title}',
  anotherStory: 'otro artículo',
  announce: 'Nueva notificación: {text}',

  settingsTitle: 'Notificaciones por correo',
  emailLegend: 'Escribirme',
  modes: {
    off: 'Nunca',
    immediate: 'Al momento',
    hourly: 'En un resumen cada hora',
    daily: 'En un resumen diario',
  },
  kindsLegend: 'Sobre',
  kinds: {
    reply: 'Respuestas a mis comentarios',
    staff: 'Respuestas de la redacción en mis conversaciones',
    mention: 'Menciones de mi nombre',
    moderation: 'Decisiones de moderación sobre mis comentarios',
    featured: 'Mis comentarios destacados',
  },
  listNote: 'La lista de la campana lo muestra todo, elijas lo que elijas aquí.',
  unconfirmed: 'Los correos empezarán cuando confirmes tu dirección.',
  bounced:
    'Los correos a tu dirección no se pudieron entregar, así que ya no se envía ninguno. Vuelve a confirmar tu dirección en «Tu cuenta».',
  saveSettings: 'Guardar ajustes',
  settingsSaved: 'Ajustes guardados.',

  optIn: 'Escribirme cuando alguien responda',
  optInDone: 'Te escribiremos cuando alguien responda.',

  mentionsLabel: 'Lectores de esta conversación',
  mentionCount: (n) =>
    n === 1
      ? '1 nombre sugerido: elige con las flechas'
      : `${n} nombres sugeridos: elige con las flechas`,

  linkedNotice:
    'Llegaste por un enlace a un comentario: se muestra primero, bajo los comentarios a los que responde.',
  showWhole: 'Mostrar toda la conversación',
  linkedGone: 'El comentario del enlace ya no está disponible.',

  guidelines: 'Normas de la comunidad',
  discardPrompt: '¿Descartar tu respuesta?',
  discard: 'Descartar',
  keepWriting: 'Seguir escribiendo',
  editTime: (n) =>
    n === 1 ? 'Puedes editarlo durante 1 minuto más' : `Puedes editarlo durante ${n} minutos más`,
  heldWhy: 'Por qué está en espera:',
  held: {
    PREMOD_SITE: 'Este sitio revisa cada comentario antes de publicarlo.',
    PREMOD_STORY: 'Los comentarios de este artículo se revisan antes de publicarse.',
    PREMOD_USER: 'Tus comentarios se revisan antes de publicarse.',
    PREMOD_NEW_COMMENTER:
      'Los comentarios de quienes participan por primera vez se revisan antes de publicarse.',
    LINKS_HELD: 'Contiene un enlace, que un moderador revisa primero.',
    WORD_SUSPECT: 'Contiene palabras que un moderador revisa primero.',
    CLASSIFIER_HOLD:
      'Nuestra revisión automática detectó que podría incumplir las normas de la conversación.',
    SITE_MODEL_HOLD:
      'Se parece a comentarios que los moderadores de este sitio han retirado antes.',
    POSTING_RATE: 'Has publicado varios comentarios en poco tiempo.',
    EXTERNAL_HOLD: 'El servicio de moderación del medio pidió una revisión.',
    EXTERNAL_UNAVAILABLE: 'La revisión automática no pudo completarse a tiempo.',
  },
  heldOther: 'Un moderador lo revisará antes de publicarlo.',
  // The Digital Services Act (docs/dsa.md): appeals, and notices of illegal content.
  appealUpheld: 'La decisión se mantiene.',
  appealReversed: 'La decisión fue revocada: tu comentario vuelve a estar publicado.',
  appealWhy: 'La explicación del moderador:',
  appeal: 'Recurrir esta decisión',
  appealLabel: '¿Por qué debería revisarse esta decisión?',
  appealHint:
    'La revisará un moderador que no tomó la decisión. Cada decisión se puede recurrir una vez.',
  appealSend: 'Enviar recurso',
  appealSent: 'Tu recurso se envió. Te informaremos del resultado.',
  noticeLegend: 'Contenido ilegal',
  noticeHint:
    'Una notificación según la Ley de Servicios Digitales de la UE. Los moderadores ven tu nombre y tu correo si los indicas.',
  legalGround: 'Fundamento jurídico (la ley, o el tipo de ilegalidad)',
  legalGroundExample: 'p. ej., difamación, incitación a la violencia',
  explanation: '¿Por qué es ilegal este contenido?',
  notifierName: 'Tu nombre (opcional)',
  notifierEmail: 'Tu correo electrónico (opcional)',
  goodFaith:
    'Confirmo de buena fe que la información de esta notificación es exacta y completa, según mi leal saber.',
  // The comment forms (ui/Writing.tsx): the composer, a reply, an edit, a report, the question
  // before deleting, what the live region says of each, and the forms' own notices.
  warned: 'Un moderador te ha advertido',
  understand: 'Entendido',
  yourComment: 'Tu comentario',
  yourReply: 'Tu respuesta',
  formattingHint: 'Puedes usar *énfasis*, [enlaces](url), > citas y `código`.',
  postComment: 'Publicar',
  postReply: 'Responder',
  save: 'Guardar',
  cancel: 'Cancelar',
  revisePrompt:
    'Este comentario podría incumplir las normas de la conversación. ¿Quieres revisarlo?',
  revise: 'Revisar',
  postAnyway: 'Publicar de todos modos',
  confirmEmail: 'Confirma tu dirección de correo para comentar: te enviamos un enlace.',
  resendLink: 'Enviar el enlace de nuevo',
  linkSent: 'Te enviamos un enlace nuevo. Revisa tu bandeja de entrada.',
  deletePrompt: '¿Eliminar este comentario?',
  reportLegend: '¿Por qué denuncias este comentario?',
  reportNote: 'Nota (opcional)',
  sendReport: 'Enviar',
  announcePosted: 'Comentario publicado',
  announcePending: 'Comentario enviado a revisión',
  announceUpdated: 'Comentario actualizado',
  announceDeleted: 'Comentario eliminado',
  announceReported: 'Denuncia enviada',
  // The Q&A feature's words (../qa/i18n).
  qa,
  // Ignoring a reader (../ignore/i18n).
  ignore,
};

export default es;
