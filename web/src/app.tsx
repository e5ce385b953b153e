import { useEffect, useState } from 'preact/hooks';
import { onSignedOut } from './api';
import { Nav, PAGES } from './components/Nav';
import { SignIn } from './pages/SignIn';
import { useRoute } from './router';
import { clearToken, loadToken } from './session';

// Nothing but the sign-in form is rendered, and no data call is made, until the admin token has been accepted.

export function App() {
  const [signedIn, setSignedIn] = useState(() => loadToken() !== null);
  const [notice, setNotice] = useState<string | undefined>();
  const route = useRoute();

  useEffect(
    () =>
      onSignedOut(() => {
        setSignedIn(false);
        setNotice('The gateway refused the admin token (it may have changed). Sign in again.');
      }),
    [],
  );

  if (!signedIn) return <SignIn notice={notice} onSignedIn={() => (setNotice(undefined), setSignedIn(true))} />;

  const page = PAGES.find((p) => p.id === route.page) ?? PAGES[0]!;
  const Page = page.component;
  const signOut = () => {
    clearToken();
    setNotice('Signed out.');
    setSignedIn(false);
  };
  return (
    <div class="layout">
      <Nav current={page.id} onSignOut={signOut} />
      <main class="main" id="main">
        <h1 class="page-title">{page.title}</h1>
        <Page params={route.params} />
      </main>
    </div>
  );
}
