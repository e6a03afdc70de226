/** Spanish mail (tuteo, like the widget). */
import { alertBlocks, digestBlocks, plural } from '../compose.ts';
import type { MailCopy, NotifyParams } from '../templates.ts';

const story = (p: NotifyParams) => `«${p.storyTitle}»`;
const on = (title: string | null | undefined) => (title ? ` en «${title}»` : '');

export const es: MailCopy = {
  dir: 'ltr',
  greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
  pasteLink: 'Si el botón no funciona, copia esta dirección en tu navegador:',
  colon: ':',
  signoff: (brand) => `El equipo de ${brand}`,
  lists: {
    reply: 'las respuestas a tus comentarios',
    staff: 'las respuestas de la redacción en tus conversaciones',
    mention: 'las menciones de tu nombre',
    moderation: 'la revisión de tus comentarios',
    featured: 'tus comentarios destacados',
    digest: 'la actividad en torno a tus comentarios (resúmenes)',
  },
  footer: (list, site) =>
    `Recibes este correo porque pediste a ${site} que te escribiera sobre ${list}.`,
  unsubscribe: 'Darse de baja con un clic',
  reasons: {
    abuse: 'Abuso',
    hate: 'Odio',
    threat: 'Amenazas',
    spam: 'Spam',
    off_topic: 'Fuera de tema',
    illegal: 'Contenido ilegal',
    privacy: 'Privacidad',
    misinformation: 'Desinformación',
    other: 'Otro',
  },
  unsubscribePage: {
    title: 'Darse de baja',
    question: (list) => `¿Dejar de recibir correos sobre ${list}?`,
    undo: 'Puedes volver a activarlos cuando quieras en tus ajustes de notificaciones.',
    button: 'Darme de baja',
    done: (list) => `Listo. Ya no recibirás correos sobre ${list}.`,
    invalid:
      'Este enlace para darse de baja no es válido. Comprueba que copiaste la dirección completa del correo, o cambia tus preferencias en tus ajustes de notificaciones.',
    settings: 'Tus ajustes de notificaciones',
  },
  templates: {
    verify: (p) => ({
      subject: 'Confirma tu dirección de correo',
      body: [
        'Gracias por unirte a la conversación. Confirma tu dirección de correo para empezar a comentar.',
        { button: 'Confirmar mi dirección', href: p.link },
        'El enlace es válido durante 48 horas. Si no te has registrado, puedes ignorar este correo.',
      ],
    }),
    'signup-existing': (p) => ({
      subject: 'Ya tienes una cuenta',
      body: [
        'Alguien, probablemente tú, intentó registrarse con esta dirección de correo. Ya tiene una cuenta, así que solo tienes que iniciar sesión.',
        { button: 'Iniciar sesión', href: p.loginLink },
        { link: '¿Olvidaste tu contraseña? Elige una nueva aquí:', href: p.resetLink },
        'Si no fuiste tú, ignora este correo: no ha cambiado nada.',
      ],
    }),
    reset: (p) => ({
      subject: 'Restablece tu contraseña',
      body: [
        'Hemos recibido una solicitud para restablecer la contraseña de tu cuenta.',
        { button: 'Elegir una nueva contraseña', href: p.link },
        'El enlace solo sirve una vez y caduca en 30 minutos. Si no lo has pedido, ignora este correo: tu contraseña seguirá siendo la misma.',
      ],
    }),
    'change-email': (p) => ({
      subject: 'Confirma tu nueva dirección de correo',
      body: [
        'Has pedido usar esta dirección en tu cuenta. Confírmala para completar el cambio.',
        { button: 'Confirmar esta dirección', href: p.link },
        'Si no lo has pedido, ignora este correo: tu cuenta conservará su dirección actual.',
      ],
    }),
    'email-changed': (p) => ({
      subject: 'Tu dirección de correo ha cambiado',
      body: [
        `La dirección de correo de tu cuenta es ahora ${p.newEmail}. A partir de ahora te escribiremos allí.`,
        'Si no has hecho este cambio, ponte en contacto con nosotros cuanto antes.',
      ],
    }),
    'deletion-scheduled': (p) => ({
      subject: 'Tu cuenta se eliminará',
      body: [
        `Como pediste, tu cuenta se eliminará el ${p.dueAt}. Entonces tu perfil se borrará definitivamente.`,
        '¿Has cambiado de opinión? Puedes cancelarlo hasta entonces.',
        { button: 'Conservar mi cuenta', href: p.cancelLink },
      ],
    }),
    'account-deleted': () => ({
      subject: 'Tu cuenta ha sido eliminada',
      body: [
        'Hemos eliminado tu cuenta y borrado tu perfil, como pediste. Gracias por participar en la conversación.',
        'Este es el último correo que recibirás de nuestra parte.',
      ],
    }),
    'notify-reply': (p) => ({
      subject: `${p.actor} respondió a tu comentario`,
      body: [
        `${p.actor} respondió a tu comentario en ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'Leer la respuesta', href: p.link },
      ],
    }),
    'notify-staff': (p) => ({
      subject: `${p.actor}, de ${p.siteName}, se unió a tu conversación`,
      body: [
        `${p.actor}, de la redacción de ${p.siteName}, respondió en una conversación en la que participas, en ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'Leer la respuesta', href: p.link },
      ],
    }),
    'notify-answer': (p) => ({
      subject: `${p.actor} respondió a tu pregunta`,
      body: [
        `${p.actor}, de la redacción de ${p.siteName}, respondió a tu pregunta en ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'Leer la respuesta', href: p.link },
      ],
    }),
    'notify-mention': (p) => ({
      subject: `${p.actor} te mencionó`,
      body: [
        `${p.actor} te mencionó en un comentario en ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'Leer el comentario', href: p.link },
      ],
    }),
    'notify-approved': (p) => ({
      subject: 'Tu comentario ya está publicado',
      body: [
        `Tu comentario en ${story(p)} fue revisado y ya está publicado para que todos lo lean:`,
        { quote: p.excerpt },
        { button: 'Ver mi comentario', href: p.link },
      ],
    }),
    'notify-rejected': (p) => ({
      subject: 'Tu comentario no se publicó',
      body: [
        `Tras revisarlo, tu comentario en ${story(p)} no se publicó.`,
        `Motivo: ${es.reasons[p.reasonCode.toLowerCase()] ?? es.reasons.other}`,
        ...(p.note === null ? [] : [`La nota del moderador: ${p.note}`]),
        'Tu comentario:',
        { quote: p.excerpt },
        { action: 'Verlo bajo el artículo (solo tú puedes verlo)', href: p.link },
        ...(p.guidelinesLink === null
          ? []
          : [
              {
                link: 'Lo que publicamos se explica en nuestras normas de participación:',
                href: p.guidelinesLink,
              },
            ]),
      ],
    }),
    'notify-appeal': (p) => ({
      subject:
        p.outcome === 'reversed'
          ? `Tu recurso fue aceptado: tu comentario vuelve a estar publicado`
          : `Tu recurso fue revisado: la decisión se mantiene`,
      body: [
        p.outcome === 'reversed'
          ? `Un moderador que no había tomado la decisión revisó tu recurso sobre tu comentario en ${story(p)} y la revocó: el comentario vuelve a estar publicado.`
          : `Un moderador que no había tomado la decisión revisó tu recurso sobre tu comentario en ${story(p)}. La decisión se mantiene: el comentario sigue sin publicarse.`,
        ...(p.note === null ? [] : [`La explicación del moderador: ${p.note}`]),
        `Tu comentario:`,
        { quote: p.excerpt },
        { action: `Verlo bajo el artículo`, href: p.link },
      ],
    }),
    'notify-featured': (p) => ({
      subject: 'Tu comentario fue destacado',
      body: [
        `La redacción de ${p.siteName} eligió tu comentario en ${story(p)} como comentario destacado:`,
        { quote: p.excerpt },
        { button: 'Ver mi comentario', href: p.link },
        'Gracias por enriquecer la conversación.',
      ],
    }),
    'notice-received': (p) => ({
      subject: `Hemos recibido tu denuncia de contenido ilegal`,
      body: [
        `Hemos recibido tu denuncia de un comentario en «${p.storyTitle}» como contenido ilegal, por este fundamento jurídico: ${p.legalGround}`,
        `Un moderador la revisará. El comentario:`,
        { action: `Verlo bajo el artículo`, href: p.link },
      ],
    }),
    'notify-digest': (p) => ({
      subject:
        p.period === 'hourly'
          ? `Tu última hora en ${p.siteName}: respuestas y novedades de tus comentarios`
          : `Tu día en ${p.siteName}: respuestas y novedades de tus comentarios`,
      body: [
        p.period === 'hourly'
          ? 'Esto es lo que pasó en torno a tus comentarios en la última hora.'
          : 'Esto es lo que pasó en torno a tus comentarios desde ayer.',
        ...digestBlocks(p, {
          item: (item) => {
            switch (item.kind) {
              case 'reply':
                return `${item.author} respondió a tu comentario:`;
              case 'staff':
                return `${item.author}, de la redacción, respondió en tu conversación:`;
              case 'answer':
                return `${item.author}, de la redacción, respondió a tu pregunta:`;
              case 'mention':
                return `${item.author} te mencionó:`;
              case 'approved':
                return 'Tu comentario se publicó:';
              case 'rejected':
                return `Tu comentario no se publicó (${es.reasons[item.reasonCode?.toLowerCase() ?? ''] ?? es.reasons.other}):`;
              case 'featured':
                return 'Tu comentario fue destacado:';
              case 'appeal':
                return `Un moderador resolvió tu recurso:`;
            }
          },
          open: 'Leerlo en el artículo',
          moreOnStory: (n) =>
            plural('es', n, {
              one: `Y ${n} más en este artículo`,
              other: `Y ${n} más en este artículo`,
            }),
          moreElsewhere: (n) =>
            plural('es', n, {
              one: `Y ${n} notificación más en otros artículos: las notificaciones, bajo cualquier artículo, las muestran todas.`,
              other: `Y ${n} notificaciones más en otros artículos: las notificaciones, bajo cualquier artículo, las muestran todas.`,
            }),
        }),
      ],
    }),
    'moderator-alert': (p) => {
      const words = {
        item: (author: string, reason: string) => `${author} · ${reason}`,
        review: 'Revisar',
      };
      switch (p.kind) {
        case 'pending':
          return {
            subject: plural('es', p.count, {
              one: `${p.count} comentario espera revisión en ${p.siteName}`,
              other: `${p.count} comentarios esperan revisión en ${p.siteName}`,
            }),
            body: [
              `Hay comentarios nuevos esperando en la cola de moderación de ${p.siteName}.`,
              ...alertBlocks(p, words),
              { button: 'Abrir la cola', href: p.link },
            ],
          };
        case 'reported':
          return {
            subject: plural('es', p.count, {
              one: `Se denunció un comentario en ${p.siteName}`,
              other: `Se denunciaron ${p.count} comentarios en ${p.siteName}`,
            }),
            body: [
              `Los lectores denunciaron lo siguiente${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'Abrir las denuncias', href: p.link },
            ],
          };
        case 'threshold':
          return {
            subject: `Las denuncias se acumulan sobre un comentario de ${p.siteName}`,
            body: [
              `Los lectores denunciaron esto más veces de las que permite tu alerta${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'Abrir las denuncias', href: p.link },
            ],
          };
        case 'spike':
          return {
            subject: `Llueven los comentarios en ${p.siteName}`,
            body: [
              p.storyTitle
                ? `«${p.storyTitle}» está recibiendo muchos más comentarios de lo habitual. Los últimos:`
                : 'Un artículo está recibiendo muchos más comentarios de lo habitual. Los últimos:',
              ...alertBlocks(p, words),
              { button: 'Seguir los comentarios del artículo', href: p.link },
            ],
          };
        case 'digest':
          return {
            subject: plural('es', p.count, {
              one: `${p.count} comentario espera una decisión en ${p.siteName}`,
              other: `${p.count} comentarios esperan una decisión en ${p.siteName}`,
            }),
            body: [
              `Así están las colas de moderación de ${p.siteName}. Los primeros comentarios en espera:`,
              ...alertBlocks(p, words),
              { button: 'Abrir las colas', href: p.link },
            ],
          };
        case 'test':
          return {
            subject: `Alerta de prueba de ${p.siteName}`,
            body: [
              `Esto es una prueba. Las alertas de moderación de ${p.siteName} te llegan a esta dirección.`,
              ...alertBlocks(p, words),
              { button: 'Abrir el panel', href: p.link },
            ],
          };
      }
    },
    'webhook-disabled': (p) => ({
      subject: `Se desactivó un webhook de ${p.siteName}`,
      body: [
        `Todas las entregas a ${p.url} fallan desde el ${p.since}, así que el destino se desactivó y ya no recibe eventos.`,
        `El último error: ${p.reason}`,
        { button: 'Ver el destino y sus entregas', href: p.link },
        'Cuando el receptor vuelva a funcionar, reactiva el destino en el panel.',
      ],
    }),
  },
};
