/**
 * The words of ignoring a reader in the widget (docs/profiles.md), in English; each language's
 * file (./<lang>.ts) fills the same shape. {name} stands for the reader's name, isolated for
 * bidirectional text.
 */
const en = {
  ignore: 'Ignore',
  /** The accessible name of "Ignore", with the author. */
  ignoreName: 'Ignore {name}',
  collapsed: 'A comment from someone you ignore',
  show: 'Show',
  hide: 'Hide',
  stopIgnoring: 'Stop ignoring',
  /** Said to screen readers after a change. */
  ignored: 'You ignore {name} now. Their comments are collapsed.',
  unignored: 'You no longer ignore {name}.',
  /** The list in the settings panel. */
  listTitle: 'Readers you ignore',
  listEmpty: 'You ignore no one.',
  failed: 'That did not work. Try again.',
};

export default en;
export type IgnoreMessages = typeof en;
