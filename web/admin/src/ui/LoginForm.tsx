/** Email and password, POST /api/v1/auth/login; the session goes to localStorage (state/session.ts). */
import { useState } from 'preact/hooks';
import { describeError, type AdminApi } from '../api/client.js';
import type { StoredSession } from '../state/session.js';

interface LoginFormProps {
  readonly api: AdminApi;
  readonly notice: string | null;
  readonly onSignedIn: (
    session: StoredSession & { readonly expiresIn?: number | undefined },
  ) => void;
}

export function LoginForm({ api, notice, onSignedIn }: LoginFormProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const session = await api.logIn(email.trim(), password);
      // The refresh token too: the session outlives the hour of the access token (state/session.ts).
      onSignedIn({
        token: session.token,
        refreshToken: session.refreshToken,
        user: session.user,
        expiresIn: session.expiresIn,
      });
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  return (
    <main class="center-page">
      <form class="card login" onSubmit={submit} aria-labelledby="login-title">
        <p class="brand brand-large">Parley</p>
        <h1 id="login-title" class="card-title">
          Sign in to moderation
        </h1>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <label class="field">
          <span class="field-label">Email</span>
          <input
            name="email"
            type="email"
            autocomplete="username"
            autoFocus
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="field-label">Password</span>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
