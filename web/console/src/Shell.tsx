import { useEffect, useRef, useState } from 'preact/hooks';
import { useBranding } from './branding';
import { href, usePath } from './router';
import { resolveRoute, routes } from './routes';
import { type Session, signOut } from './session';

/** The signed-in frame: header (brand, tenant, user menu), navigation, and the routed page. */
export function Shell({ session }: { session: Session }) {
  const path = usePath();
  const branding = useBranding();
  const [navOpen, setNavOpen] = useState(false);
  useEffect(() => setNavOpen(false), [path]);
  const { route, params } = resolveRoute(path);
  const Page = route.component;
  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="topbar">
        <button type="button" class="button secondary nav-toggle" aria-expanded={navOpen} aria-controls="nav" onClick={() => setNavOpen(!navOpen)}>
          Menu
        </button>
        <a class="brand" href={href('/')}>
          {branding?.logo && <img src={branding.logo.url} alt="" class="brand-logo" />}
          <span>{branding?.name || 'Rapport'}</span>
        </a>
        <span class="tenant" title="Tenant">{session.tenant}</span>
        <UserMenu session={session} />
      </header>
      <div class="body">
        <nav id="nav" class={navOpen ? 'nav open' : 'nav'} aria-label="Main">
          <ul>
            {routes.filter((r) => r.nav).map((r) => {
              const active = r.pattern === '/' ? path === '/' : path === r.pattern || path.startsWith(`${r.pattern}/`);
              return (
                <li key={r.pattern}>
                  <a href={href(r.pattern)} aria-current={active ? 'page' : undefined}>{r.nav}</a>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" tabIndex={-1} class="content">
          <Page params={params} />
        </main>
      </div>
    </div>
  );
}

function UserMenu({ session }: { session: Session }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const close = (e: Event) => { if (!ref.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, []);
  return (
    <div class="user-menu" ref={ref} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" class="button secondary" aria-expanded={open} aria-haspopup="true" aria-controls="user-menu-list" onClick={() => setOpen(!open)}>
        {session.user.email}
      </button>
      {open && (
        <div id="user-menu-list" class="menu">
          <p class="menu-role">Role: {session.role}</p>
          <button type="button" class="button secondary" onClick={() => void signOut()}>Sign out</button>
        </div>
      )}
    </div>
  );
}
