/** Ignorar a un lector en el widget, en español (ver ./en.ts). */
import type { IgnoreMessages } from './en.js';

const es: IgnoreMessages = {
  ignore: 'Ignorar',
  ignoreName: 'Ignorar a {name}',
  collapsed: 'Un comentario de alguien a quien ignoras',
  show: 'Mostrar',
  hide: 'Ocultar',
  stopIgnoring: 'Dejar de ignorar',
  ignored: 'Ahora ignoras a {name}. Sus comentarios aparecen plegados.',
  unignored: 'Ya no ignoras a {name}.',
  listTitle: 'Lectores a los que ignoras',
  listEmpty: 'No ignoras a nadie.',
  failed: 'No ha funcionado. Inténtalo de nuevo.',
};

export default es;
