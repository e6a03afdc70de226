/**
 * Shown in the comment form while the viewer has not confirmed their email address (sites
 * require it before posting, by default): what to do, and a button that mails the link again.
 * The link opens in another tab, so the viewer is read again when the reader comes back.
 */
import { useEffect, useState } from 'preact/hooks';
import { ErrorAlert } from './ErrorAlert.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

export function VerifyNotice() {
  const { t, auth, announcer } = useWidget();
  const { busy, error, run } = useAction();
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
      <ErrorAlert message={error} />
    </div>
  );
}
