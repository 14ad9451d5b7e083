/**
 * Starts the tab. Inside Teams: teams-js `app.initialize`, theme and locale from the context,
 * the SSO token from `authentication.getAuthToken` for the agent API. Outside Teams (no answer
 * within about two seconds): in dev mode a sign-in page to pick a configured user; otherwise a
 * clear message. `/tab/admin` is the Admin page and `/tab/supervisor` the Supervisor page, each
 * loaded on demand so that My Sessions never downloads them; every other path is My Sessions.
 */
import { lazy, StrictMode, Suspense, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import {
  Button,
  FluentProvider,
  Select,
  Field,
  Spinner,
  Text,
  Title2,
  teamsHighContrastTheme,
  webDarkTheme,
  webLightTheme,
  type Theme,
} from '@fluentui/react-components';
import { app, authentication, pages } from '@microsoft/teams-js';
import { AgentApi } from './api';
import { App } from './App';

const THEMES: Record<string, Theme> = { default: webLightTheme, dark: webDarkTheme, contrast: teamsHighContrastTheme };
const TOKEN_KEY = 'stratus-dev-token';
const AdminPage = lazy(() => import('./admin/AdminPage'));
const SupervisorPage = lazy(() => import('./supervisor/SupervisorPage'));
/** The server serves index.html for every /tab/* path: the path picks the page. */
const IS_ADMIN = /^\/tab\/admin\/?$/.test(window.location.pathname);
const IS_SUPERVISOR = /^\/tab\/supervisor\/?$/.test(window.location.pathname);
const PAGE_TITLE = IS_ADMIN ? 'Stratus admin' : IS_SUPERVISOR ? 'Stratus supervisor' : 'My Sessions';
/** The manifest's entityId of the My Sessions tab (appPackage/manifest.json). */
const MY_SESSIONS_TAB = 'mysessions';
/** Outside Teams a link may name the session to open (`/tab/?session=`), as the subPageId does inside. */
const SESSION_PARAM = /^[A-Za-z0-9_-]{1,128}$/.exec(new URLSearchParams(window.location.search).get('session') ?? '')?.[0];
document.title = PAGE_TITLE;
// The theme's background reaches the window's edges (no white frame around a dark page).
document.body.style.margin = '0';

/** Resolves with the Teams context, or undefined when not inside Teams within `ms`. */
async function detectTeams(ms = 2000): Promise<app.Context | undefined> {
  try {
    return await Promise.race([
      app.initialize().then(() => app.getContext()),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), ms)),
    ]);
  } catch {
    return undefined;
  }
}

function SignIn({ onToken, title }: { onToken: (t: string) => void; title: string }) {
  const [users, setUsers] = useState<{ upn: string; displayName: string }[]>();
  const [upn, setUpn] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => {
    void fetch('/api/dev/users')
      .then(async (r) => {
        if (!r.ok) throw new Error();
        const list = ((await r.json()) as { users: { upn: string; displayName: string }[] }).users;
        setUsers(list);
        setUpn(list[0]?.upn ?? '');
      })
      .catch(() => setError(`Open ${title} inside Microsoft Teams to sign in.`));
  }, [title]);
  const go = async () => {
    const r = await fetch('/api/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ upn }),
    });
    if (!r.ok) return setError('That user cannot sign in.');
    const token = ((await r.json()) as { token: string }).token;
    sessionStorage.setItem(TOKEN_KEY, token);
    onToken(token);
  };
  if (error)
    return (
      <main style={{ padding: 24 }}>
        <Title2 as="h1">{title}</Title2>
        <Text block role="alert">
          {error}
        </Text>
      </main>
    );
  if (!users) return <Spinner label="Loading" />;
  return (
    <main style={{ padding: 24, maxWidth: 420 }}>
      <Title2 as="h1">{title}</Title2>
      <Text block>Development sign-in: Stratus runs without Entra ID here. Pick the agent to sign in as.</Text>
      <Field label="Agent">
        <Select value={upn} onChange={(_e, d) => setUpn(d.value)}>
          {users.map((u) => (
            <option key={u.upn} value={u.upn}>
              {u.displayName} ({u.upn})
            </option>
          ))}
        </Select>
      </Field>
      <Button appearance="primary" onClick={() => void go()} style={{ marginTop: 12 }}>
        Sign in
      </Button>
    </main>
  );
}

function Root() {
  const [boot, setBoot] = useState<{ inTeams: boolean; theme: Theme; locale?: string; session?: string }>();
  const [devToken, setDevToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  useEffect(() => {
    void detectTeams().then((ctx) => {
      if (!ctx)
        return setBoot({
          inTeams: false,
          theme: window.matchMedia?.('(prefers-color-scheme: dark)').matches ? webDarkTheme : webLightTheme,
          ...(SESSION_PARAM ? { session: SESSION_PARAM } : {}),
        });
      // A deep link (the activity feed's) names the session to open as the tab's sub-page.
      const session = ctx.page.subPageId || undefined;
      setBoot({ inTeams: true, theme: THEMES[ctx.app.theme] ?? webLightTheme, locale: ctx.app.locale, session });
      if (ctx.app.locale) document.documentElement.lang = ctx.app.locale;
      app.registerOnThemeChangeHandler((t) => setBoot((b) => b && { ...b, theme: THEMES[t] ?? webLightTheme }));
      app.notifySuccess();
    });
  }, []);
  const token = useMemo(() => {
    if (boot?.inTeams) return () => authentication.getAuthToken();
    return async () => devToken ?? '';
  }, [boot?.inTeams, devToken]);
  const api = useMemo(() => new AgentApi(token), [token]);
  if (!boot)
    return (
      <FluentProvider theme={webLightTheme}>
        <Spinner label={`Starting ${PAGE_TITLE}`} />
      </FluentProvider>
    );
  return (
    <FluentProvider theme={boot.theme} style={{ minHeight: '100vh' }}>
      {!boot.inTeams && !devToken ? (
        <SignIn onToken={setDevToken} title={PAGE_TITLE} />
      ) : IS_ADMIN ? (
        <Suspense fallback={<Spinner label="Loading" />}>
          <AdminPage token={token} />
        </Suspense>
      ) : IS_SUPERVISOR ? (
        <Suspense fallback={<Spinner label="Loading" />}>
          <SupervisorPage
            token={token}
            // In Teams the chat opens in the My Sessions tab itself (its subPageId is the session).
            {...(boot.inTeams
              ? {
                  openMySessions: (id: string) =>
                    void pages.currentApp
                      .navigateTo({ pageId: MY_SESSIONS_TAB, subPageId: id })
                      // A Teams client without in-app navigation: My Sessions in this frame.
                      .catch(() => window.location.assign(`/tab/?session=${encodeURIComponent(id)}`)),
                }
              : {})}
          />
        </Suspense>
      ) : (
        <App api={api} token={token} streamUrl="/api/agent/events" initialSession={boot.session} />
      )}
    </FluentProvider>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
