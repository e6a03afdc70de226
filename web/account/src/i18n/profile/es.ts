/** El perfil y los lectores ignorados, en español (ver ./en.ts). */
import type { ProfileMessages } from './en.js';

const es: ProfileMessages = {
  section: 'Tu perfil y los lectores a los que ignoras',
  privateLabel: 'Mantener mis comentarios en privado en mi perfil',
  privateHint:
    'Los demás solo verán tu nombre, tu foto y tus insignias. Tú sigues viendo tus comentarios, y los moderadores lo ven todo, como antes.',
  privateOn: 'Tus comentarios ahora son privados en tu perfil.',
  privateOff: 'Tus comentarios ahora se muestran en tu perfil.',
  seeProfile: 'Ver tu perfil',
  ignoredTitle: 'Lectores a los que ignoras',
  ignoredHint:
    'Sus comentarios aparecen plegados para ti, en todos los dispositivos donde has iniciado sesión. No se les avisa.',
  ignoredEmpty:
    'No ignoras a nadie. Para ignorar a un lector, elige «Ignorar» bajo uno de sus comentarios.',
  since: (date) => `desde el ${date}`,
  stopIgnoring: 'Dejar de ignorar',
  stopIgnoringName: (name) => `Dejar de ignorar a ${name}`,
  stopped: (name) => `Ya no ignoras a ${name}.`,
};

export default es;
