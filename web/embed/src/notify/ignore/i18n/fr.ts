/** Ignorer un lecteur dans le widget, en français (voir ./en.ts). */
import type { IgnoreMessages } from './en.js';

const fr: IgnoreMessages = {
  ignore: 'Ignorer',
  ignoreName: 'Ignorer {name}',
  collapsed: 'Un commentaire de quelqu’un que vous ignorez',
  show: 'Afficher',
  hide: 'Masquer',
  stopIgnoring: 'Ne plus ignorer',
  ignored: 'Vous ignorez désormais {name}. Ses commentaires sont repliés.',
  unignored: 'Vous n’ignorez plus {name}.',
  listTitle: 'Lecteurs que vous ignorez',
  listEmpty: 'Vous n’ignorez personne.',
  failed: 'Cela n’a pas fonctionné. Réessayez.',
};

export default fr;
