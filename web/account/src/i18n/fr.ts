/** The account pages in French. */
import type { Messages } from './en.js';
import readers from './profile/fr.js';

const fr: Messages = {
  signInTitle: 'Connectez-vous pour commenter',
  accountTitle: 'Votre compte',
  verifyTitle: 'Confirmez votre adresse',
  resetTitle: 'Choisissez un nouveau mot de passe',
  emailTitle: 'Confirmez votre nouvelle adresse',
  signUpTitle: 'Créer un compte',
  forgotTitle: 'Réinitialiser votre mot de passe',

  email: 'E-mail',
  password: 'Mot de passe',
  displayName: 'Nom affiché',
  passwordHint: 'Au moins 8 caractères.',
  logIn: 'Se connecter',
  signUp: 'Créer un compte',
  forgotPassword: 'Mot de passe oublié ?',
  sendLink: 'M’envoyer un lien',
  backToLogIn: 'Retour à la connexion',
  or: 'ou',
  continueWith: (label) => `Continuer avec ${label}`,
  working: 'Un instant…',

  signUpSent: (email) =>
    `Nous avons envoyé un message à ${email}. Ouvrez le lien qu’il contient dans ce navigateur pour confirmer votre adresse : vous serez connecté ici.`,
  forgotSent: (email) =>
    `Si un compte utilise ${email}, nous lui avons envoyé un lien pour choisir un nouveau mot de passe. Le lien est valable 30 minutes.`,
  signedIn: 'Vous êtes connecté. Vous pouvez fermer cette fenêtre.',
  noOpener:
    'La page qui a ouvert cette fenêtre n’est plus là. Revenez aux commentaires et connectez-vous depuis ceux-ci.',
  noMethods: 'Ce site ne propose aucun moyen de se connecter ici.',

  invalidCredentials: 'L’e-mail ou le mot de passe est incorrect.',
  tooManyAttempts: (when) => `Trop de tentatives. Réessayez ${when}.`,
  tooManyRequests: 'Trop de demandes. Patientez un instant et réessayez.',
  networkError: 'Impossible de joindre Parley. Vérifiez votre connexion et réessayez.',
  unknownError: 'Une erreur s’est produite. Veuillez réessayer.',
  emailTaken: 'Un autre compte utilise déjà cette adresse.',
  wrongPassword: 'Le mot de passe est incorrect.',
  sessionEnded: 'Votre session a pris fin. Reconnectez-vous.',

  checking: 'Vérification du lien…',
  missingToken: 'Ce lien est incomplet. Copiez le lien entier de l’e-mail dans la barre d’adresse.',
  invalidLink: 'Ce lien a expiré ou a déjà été utilisé.',
  verified: 'Votre adresse est confirmée. Connectez-vous avec votre mot de passe pour commenter.',
  signedInHere: (name) =>
    `Vous êtes connecté en tant que ${name} sur cette page. De retour à l’article, connectez-vous pour commenter.`,
  verifiedThere:
    'Votre adresse est confirmée et vous êtes connecté là où vous vous êtes inscrit. Vous pouvez fermer cette page.',
  verifiedHere: (name) =>
    `Votre adresse est confirmée et vous êtes connecté en tant que ${name} sur cette page. De retour à l’article, connectez-vous pour commenter.`,
  backToArticle: 'Revenir à l’article',
  verifyAgain:
    'Pour recevoir un nouveau lien, connectez-vous là où vous commentez, ouvrez « Votre compte » et choisissez « Renvoyer le lien ».',
  newPassword: 'Nouveau mot de passe',
  savePassword: 'Enregistrer le nouveau mot de passe',
  passwordReset:
    'Votre mot de passe est changé et vous êtes déconnecté partout. Reconnectez-vous là où vous commentez.',
  resetAgain:
    'Pour recevoir un nouveau lien, choisissez « Mot de passe oublié ? » en vous connectant.',
  emailChanged: (email) => `Votre adresse est désormais ${email}.`,

  connecting: 'Connexion aux commentaires…',
  logInToManage: 'Connectez-vous pour gérer votre compte.',
  publisherAccount:
    'Si vous commentez avec le compte de votre journal, ouvrez plutôt « Votre compte » depuis les commentaires.',
  signedInAs: (name) => `Connecté en tant que ${name}`,
  profile: 'Profil',
  save: 'Enregistrer',
  nameSaved: 'Votre nom affiché est changé.',
  nameTooSoon:
    'Vous avez changé votre nom affiché récemment ; vous pourrez le changer de nouveau plus tard.',
  addressSection: 'Adresse e-mail',
  currentAddress: (email) => `Votre adresse : ${email}`,
  notVerified: 'Votre adresse n’est pas encore confirmée.',
  sendAgain: 'Renvoyer le lien',
  verifySent: 'Nous avons envoyé un nouveau lien. Consultez vos e-mails.',
  newEmail: 'Nouvelle adresse',
  changeEmail: 'Changer d’adresse',
  emailSent: (email) =>
    `Nous avons envoyé un lien à ${email}. Votre adresse change quand vous le suivez.`,
  passwordSection: 'Mot de passe',
  currentPassword: 'Mot de passe actuel',
  changePassword: 'Changer le mot de passe',
  passwordChanged: 'Votre mot de passe est changé. Vos autres sessions sont déconnectées.',
  sessionsSection: 'Où vous êtes connecté',
  thisDevice: 'Cet appareil',
  unknownDevice: 'Appareil inconnu',
  device: (browser, os) => (browser && os ? `${browser} sous ${os}` : browser || os || ''),
  thisNamedDevice: (device) => `${device} (cet appareil)`,
  signedInOn: (date) => `Depuis le ${date}`,
  signOut: 'Déconnecter',
  signOutEverywhere: 'Se déconnecter partout',
  signedOutEverywhere: 'Vous êtes déconnecté partout. Vous pouvez fermer cette fenêtre.',
  dataSection: 'Vos données',
  dataExplained: 'Votre profil, vos commentaires, réactions et signalements, dans un fichier JSON.',
  download: 'Télécharger mes données',
  downloaded: 'Vos données sont téléchargées.',
  deleteSection: 'Supprimer votre compte',
  deleteExplained:
    'Votre profil est effacé après un délai pendant lequel vous pouvez changer d’avis. Vos commentaires sont alors retirés ou affichés comme « [supprimé] », selon le choix du site.',
  confirmWithPassword: 'Saisissez votre mot de passe pour confirmer',
  deleteAccount: 'Supprimer mon compte',
  deletionDue: (date) => `Votre compte sera supprimé le ${date}.`,
  cancelDeletion: 'Garder mon compte',
  deletionCancelled: 'La suppression est annulée : votre compte reste.',

  notificationsSection: 'Notifications',
  unreadCount: (n) =>
    n === 0
      ? 'Rien de non lu.'
      : n === 1
        ? '1 notification non lue'
        : `${n} notifications non lues`,
  noNotifications:
    'Rien pour l’instant. Les réponses à vos commentaires et ce qu’il advient d’eux s’afficheront ici.',
  unread: 'Non lue\u00a0:',
  markAllRead: 'Tout marquer comme lu',
  what: {
    reply: '{name} a répondu à votre commentaire',
    staff: '{name}, de la rédaction, a répondu dans votre discussion',
    mention: '{name} a cité votre nom',
    approved: 'Votre commentaire a été approuvé et publié',
    rejected: 'Votre commentaire a été retiré',
    featured: 'Votre commentaire a été mis à la une',
    appeal: 'Un modérateur a statué sur votre recours',
    answer: '{name} a répondu à votre question',
  },
  someone: 'Quelqu’un',
  reason: 'Motif\u00a0:',
  reasons: {
    abuse: 'Abus',
    spam: 'Spam',
    off_topic: 'Hors sujet',
    misinformation: 'Désinformation',
    other: 'Autre',
    hate: 'Haine',
    threat: 'Menaces',
    illegal: 'Contenu illégal',
    privacy: 'Vie privée',
  },
  onStory: 'Sur {title}',
  untitledStory: 'un article',
  mailSettings: 'Notifications par e-mail',
  emailLegend: 'M’écrire',
  modes: {
    off: 'Jamais',
    immediate: 'Tout de suite',
    hourly: 'Dans un résumé toutes les heures',
    daily: 'Dans un résumé quotidien',
  },
  kindsLegend: 'À propos',
  kinds: {
    reply: 'Des réponses à mes commentaires',
    staff: 'Des réponses de la rédaction dans mes discussions',
    mention: 'Des mentions de mon nom',
    moderation: 'Des décisions de modération sur mes commentaires',
    featured: 'De mes commentaires mis à la une',
  },
  mailUnconfirmed: 'Les e-mails commenceront une fois votre adresse confirmée.',
  mailBounced:
    'Les e-mails envoyés à votre adresse n’ont pas pu être remis\u00a0: aucun ne sera envoyé avant que vous la confirmiez de nouveau.',
  saveSettings: 'Enregistrer les réglages',
  settingsSaved: 'Vos réglages de notification sont enregistrés.',
  // Your profile and the readers you ignore (./profile).
  readers,
};

export default fr;
