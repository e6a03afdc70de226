/**
 * The account pages' words for the profile choice and the ignore list (docs/profiles.md), in
 * English; each language's file (./<lang>.ts) fills the same shape.
 */
const en = {
  section: 'Your profile and readers you ignore',
  privateLabel: 'Keep my comments private on my profile',
  privateHint:
    'Others then see only your name, picture and badges. You still see your own comments, and moderators see everything as before.',
  privateOn: 'Your comments are now private on your profile.',
  privateOff: 'Your comments are now shown on your profile.',
  seeProfile: 'See your profile',
  ignoredTitle: 'Readers you ignore',
  ignoredHint:
    'Their comments are collapsed for you in the comments, on every device where you are signed in. They are not told.',
  ignoredEmpty:
    'You ignore no one. To ignore a reader, choose “Ignore” under one of their comments.',
  since: (date: string) => `since ${date}`,
  stopIgnoring: 'Stop ignoring',
  stopIgnoringName: (name: string) => `Stop ignoring ${name}`,
  stopped: (name: string) => `You no longer ignore ${name}.`,
};

export default en;
export type ProfileMessages = typeof en;
