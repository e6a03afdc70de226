/** The account pages in Spanish. */
import type { Messages } from './en.js';
import readers from './profile/es.js';

const es: Messages = {
  signInTitle: 'Inicia sesión para comentar',
  accountTitle: 'Tu cuenta',
  verifyTitle: 'Confirma tu dirección',
  resetTitle: 'Elige una contraseña nueva',
  emailTitle: 'Confirma tu nueva dirección',
  signUpTitle: 'Crear una cuenta',
  forgotTitle: 'Restablecer tu contraseña',

  email: 'Correo electrónico',
  password: 'Contraseña',
  displayName: 'Nombre visible',
  passwordHint: 'Al menos 8 caracteres.',
  logIn: 'Iniciar sesión',
  signUp: 'Crear una cuenta',
  forgotPassword: '¿Olvidaste tu contraseña?',
  sendLink: 'Enviarme un enlace',
  backToLogIn: 'Volver a iniciar sesión',
  or: 'o',
  continueWith: (label) => `Continuar con ${label}`,
  working: 'Un momento…',

  signUpSent: (email) =>
    `Hemos enviado un mensaje a ${email}. Abre el enlace que contiene en este navegador para confirmar tu dirección: iniciarás sesión aquí.`,
  forgotSent: (email) =>
    `Si alguna cuenta usa ${email}, le hemos enviado un enlace para elegir una contraseña nueva. El enlace vale durante 30 minutos.`,
  signedIn: 'Has iniciado sesión. Puedes cerrar esta ventana.',
  noOpener:
    'La página que abrió esta ventana ya no está. Vuelve a los comentarios e inicia sesión desde allí.',
  noMethods: 'Este sitio no ofrece ninguna forma de iniciar sesión aquí.',

  invalidCredentials: 'El correo o la contraseña no son correctos.',
  tooManyAttempts: (when) => `Demasiados intentos. Vuelve a intentarlo ${when}.`,
  tooManyRequests: 'Demasiadas solicitudes. Espera un momento y vuelve a intentarlo.',
  networkError: 'No se pudo conectar con Parley. Comprueba tu conexión y vuelve a intentarlo.',
  unknownError: 'Algo salió mal. Inténtalo de nuevo.',
  emailTaken: 'Otra cuenta ya usa esta dirección.',
  wrongPassword: 'La contraseña no es correcta.',
  sessionEnded: 'Tu sesión ha terminado. Vuelve a iniciar sesión.',

  checking: 'Comprobando el enlace…',
  missingToken:
    'Este enlace está incompleto. Copia el enlace completo del correo en la barra de direcciones.',
  invalidLink: 'Este enlace ha caducado o ya se ha usado.',
  verified: 'Tu dirección está confirmada. Inicia sesión con tu contraseña para comentar.',
  signedInHere: (name) =>
    `Has iniciado sesión como ${name} en esta página. De vuelta en el artículo, inicia sesión para comentar.`,
  verifiedThere:
    'Tu dirección está confirmada y has iniciado sesión donde te registraste. Puedes cerrar esta página.',
  verifiedHere: (name) =>
    `Tu dirección está confirmada y has iniciado sesión como ${name} en esta página. De vuelta en el artículo, inicia sesión para comentar.`,
  backToArticle: 'Volver al artículo',
  verifyAgain:
    'Para recibir un enlace nuevo, inicia sesión donde comentas, abre «Tu cuenta» y elige «Enviar el enlace de nuevo».',
  newPassword: 'Contraseña nueva',
  savePassword: 'Guardar la contraseña nueva',
  passwordReset:
    'Tu contraseña ha cambiado y se han cerrado todas tus sesiones. Vuelve a iniciar sesión donde comentas.',
  resetAgain: 'Para recibir un enlace nuevo, elige «¿Olvidaste tu contraseña?» al iniciar sesión.',
  emailChanged: (email) => `Tu dirección ahora es ${email}.`,

  connecting: 'Conectando con los comentarios…',
  logInToManage: 'Inicia sesión para gestionar tu cuenta.',
  publisherAccount:
    'Si comentas con la cuenta de tu periódico, abre «Tu cuenta» desde los comentarios.',
  signedInAs: (name) => `Sesión iniciada como ${name}`,
  profile: 'Perfil',
  save: 'Guardar',
  nameSaved: 'Tu nombre visible ha cambiado.',
  nameTooSoon: 'Cambiaste tu nombre visible hace poco; podrás cambiarlo de nuevo más adelante.',
  addressSection: 'Dirección de correo',
  currentAddress: (email) => `Tu dirección: ${email}`,
  notVerified: 'Tu dirección aún no está confirmada.',
  sendAgain: 'Enviar el enlace de nuevo',
  verifySent: 'Hemos enviado un enlace nuevo. Revisa tu correo.',
  newEmail: 'Dirección nueva',
  changeEmail: 'Cambiar la dirección',
  emailSent: (email) => `Hemos enviado un enlace a ${email}. Tu dirección cambia cuando lo sigas.`,
  passwordSection: 'Contraseña',
  currentPassword: 'Contraseña actual',
  changePassword: 'Cambiar la contraseña',
  passwordChanged: 'Tu contraseña ha cambiado. Se han cerrado tus otras sesiones.',
  sessionsSection: 'Dónde tienes la sesión iniciada',
  thisDevice: 'Este dispositivo',
  unknownDevice: 'Dispositivo desconocido',
  device: (browser, os) => (browser && os ? `${browser} en ${os}` : browser || os || ''),
  thisNamedDevice: (device) => `${device} (este dispositivo)`,
  signedInOn: (date) => `Desde el ${date}`,
  signOut: 'Cerrar sesión',
  signOutEverywhere: 'Cerrar sesión en todas partes',
  signedOutEverywhere: 'Se han cerrado todas tus sesiones. Puedes cerrar esta ventana.',
  dataSection: 'Tus datos',
  dataExplained: 'Tu perfil, tus comentarios, reacciones y denuncias, en un archivo JSON.',
  download: 'Descargar mis datos',
  downloaded: 'Tus datos se han descargado.',
  deleteSection: 'Eliminar tu cuenta',
  deleteExplained:
    'Tu perfil se borra tras un plazo durante el cual puedes cambiar de opinión. Después, tus comentarios se retiran o se muestran como «[eliminado]», según decida el sitio.',
  confirmWithPassword: 'Escribe tu contraseña para confirmar',
  deleteAccount: 'Eliminar mi cuenta',
  deletionDue: (date) => `Tu cuenta se eliminará el ${date}.`,
  cancelDeletion: 'Conservar mi cuenta',
  deletionCancelled: 'La eliminación se ha cancelado: tu cuenta se queda.',

  notificationsSection: 'Notificaciones',
  unreadCount: (n) =>
    n === 0
      ? 'Nada sin leer.'
      : n === 1
        ? '1 notificación sin leer'
        : `${n} notificaciones sin leer`,
  noNotifications:
    'Nada todavía. Aquí aparecerán las respuestas a tus comentarios y las novedades sobre ellos.',
  unread: 'Sin leer:',
  markAllRead: 'Marcar todo como leído',
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
  onStory: 'En {title}',
  untitledStory: 'un artículo',
  mailSettings: 'Notificaciones por correo',
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
  mailUnconfirmed: 'Los correos empezarán cuando confirmes tu dirección.',
  mailBounced:
    'Los correos a tu dirección no se pudieron entregar, así que no se enviará ninguno hasta que vuelvas a confirmarla.',
  saveSettings: 'Guardar ajustes',
  settingsSaved: 'Tus ajustes de notificaciones se guardaron.',
  // Your profile and the readers you ignore (./profile).
  readers,
};

export default es;
