/**
 * A comment author's picture: the publisher's (SSO `avatar`, OIDC `picture`) when it is an https
 * address, else their initials in white on a colour drawn from the name. The picture is
 * decorative (alt=""), since the name is written beside it; it is fetched lazily and without a
 * Referer, so the publisher's image host does not learn which article the reader is on.
 */
import { AVATAR_COLOURS, avatarColour, initials } from '../../../../src/domain/avatar.js';
import type { Author } from '../api/types.js';

// The initials and their colour are the server-rendered thread's too (one definition).
export { AVATAR_COLOURS, avatarColour, initials };

export function Avatar({ author }: { author: Author }) {
  const { avatarUrl, displayName } = author;
  return avatarUrl && /^https:\/\//i.test(avatarUrl) ? (
    <img class="avatar" src={avatarUrl} alt="" loading="lazy" referrerpolicy="no-referrer" />
  ) : (
    <span
      class="avatar"
      aria-hidden="true"
      style={{ background: avatarColour(displayName), color: '#fff' }}
    >
      {initials(displayName)}
    </span>
  );
}
