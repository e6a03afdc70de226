/** Spanish account mail (tuteo, like the widget). */
import type { MailCopy } from '../templates.ts';

export const es: MailCopy = {
  dir: 'ltr',
  greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
  pasteLink: 'Si el botón no funciona, copia esta dirección en tu navegador:',
  colon: ':',
  signoff: (brand) => `El equipo de ${brand}`,
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
  },
};
