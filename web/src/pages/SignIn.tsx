import { useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import { saveToken } from '../session';

// The only thing shown before the admin token is accepted. The token is checked against the gateway first and
// kept (sessionStorage) only when accepted.

export function SignIn({ notice, onSignedIn }: { notice: string | undefined; onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const given = token.trim();
    if (!given) {
      setError('Enter the admin token.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await request('GET', '/api/dashboard', { token: given });
      saveToken(given);
      setToken('');
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That token was refused. Check admin_token in the gateway configuration.' : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <form class="signin-card" onSubmit={submit} method="post" action="#" autocomplete="off">
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true">◆</span> Matchkey
        </div>
        <h1>Sign in to the dashboard</h1>
        <p class="muted">Use the gateway's admin token (<code>admin_token</code> in the configuration, or the one printed by <code>npm start</code>). It is kept for this browser tab only.</p>
        {notice ? <p class="notice">{notice}</p> : null}
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} required />
        {error ? (
          <p class="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button class="button button-primary" type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
