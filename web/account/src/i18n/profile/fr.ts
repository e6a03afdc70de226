/** Le profil et les lecteurs ignorés, en français (voir ./en.ts). */
import type { ProfileMessages } from './en.js';

const fr: ProfileMessages = {
  section: 'Votre profil et les lecteurs que vous ignorez',
  privateLabel: 'Garder mes commentaires privés sur mon profil',
  privateHint:
    'Les autres ne voient alors que votre nom, votre photo et vos badges. Vous voyez toujours vos commentaires, et les modérateurs voient tout, comme avant.',
  privateOn: 'Vos commentaires sont désormais privés sur votre profil.',
  privateOff: 'Vos commentaires sont désormais visibles sur votre profil.',
  seeProfile: 'Voir votre profil',
  ignoredTitle: 'Lecteurs que vous ignorez',
  ignoredHint:
    'Leurs commentaires sont repliés pour vous, sur tous les appareils où vous êtes connecté. Ils n’en sont pas informés.',
  ignoredEmpty:
    'Vous n’ignorez personne. Pour ignorer un lecteur, choisissez « Ignorer » sous l’un de ses commentaires.',
  since: (date) => `depuis le ${date}`,
  stopIgnoring: 'Ne plus ignorer',
  stopIgnoringName: (name) => `Ne plus ignorer ${name}`,
  stopped: (name) => `Vous n’ignorez plus ${name}.`,
};

export default fr;
