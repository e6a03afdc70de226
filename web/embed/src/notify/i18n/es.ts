/** The notification features' words in Spanish (see ./en.ts). */
import type { NotifyMessages } from './en.js';

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
};

export default es;
