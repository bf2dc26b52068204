import { useState } from 'preact/hooks';
import { signIn } from '../session';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Form, TextField } from '../ui/Field';

/** The sign-in page: email and password; the API's error is announced (role="alert"). */
export function SignIn() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <div class="signin-card">
        <h1>Sign in to Rapport</h1>
        {error !== null && <ErrorBanner error={error} />}
        <Form onSubmit={submit} label="Sign in">
          <TextField label="Email" type="email" autoComplete="username" required value={email} onValue={setEmail} />
          <TextField label="Password" type="password" autoComplete="current-password" required value={password} onValue={setPassword} />
          <Button type="submit" variant="primary" busy={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
        </Form>
      </div>
    </main>
  );
}
