/**
 * Shown in the comment form while the viewer has not confirmed their email address (sites
 * require it before posting, by default): what to do, and a button that mails the link again.
 * The link opens in another tab, so the viewer is read again when the reader comes back.
 */
import { useEffect, useState } from 'preact/hooks';
import { useNotify } from '../shared.js';
import { ErrorText, useTask } from './common.js';

export function VerifyNotice() {
  const { t, host } = useNotify();
  const { auth, announcer } = host;
  const { busy, error, run } = useTask();
  const [sent, setSent] = useState(false);

  useEffect(() => {
    const check = () => void auth.restore();
    addEventListener('focus', check);
    return () => removeEventListener('focus', check);
  }, []);

  const resend = () =>
    run(async () => {
      await auth.resendVerification();
      setSent(true);
      announcer.announce(t.linkSent);
    });

  return (
    <div class="panel" role="alert">
      <p>{t.confirmEmail}</p>
      {sent ? (
        <p>{t.linkSent}</p>
      ) : (
        <button type="button" class="secondary" aria-disabled={busy || undefined} onClick={resend}>
          {t.resendLink}
        </button>
      )}
      <ErrorText message={error} />
    </div>
  );
}
