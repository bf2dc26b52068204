import { useEffect } from 'preact/hooks';
import { onUnauthorized } from './api';
import { SharedReport } from './pages/shared/SharedReport';
import { SignIn } from './pages/SignIn';
import { loadSession, sessionExpired, useSession } from './session';
import { Shell } from './Shell';
import { Loading } from './ui/Loading';

/** The page at /s/<token> is a shared report (no session); everything else needs one. */
export function App() {
  const shared = /^\/s\/([^/]+)$/.exec(window.location.pathname);
  if (shared) return <SharedReport token={decodeURIComponent(shared[1])} />;
  return <SignedInApp />;
}

function SignedInApp() {
  const state = useSession();
  useEffect(() => {
    onUnauthorized(sessionExpired);
    void loadSession();
  }, []);
  if (state.status === 'loading') return <main id="main"><Loading /></main>;
  if (state.status === 'signed-out') return <SignIn />;
  return <Shell session={state.session} />;
}
