import { z } from 'zod';
import { loadAgentProfile } from '../features/auth/agent-organisations.ts';
import { AppError } from '../http/app-error.ts';
import { sessionCookieName } from '../http/database-session.store.ts';
import { chooseActingOrganisation, logIn, logOut } from '../http/log-in.ts';
import { type PagesDependencies, renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';

const loginMotives = {
  'session-expiree': { kind: 'warning', message: 'Votre session a expiré. Reconnectez-vous pour continuer.' },
  deconnexion: { kind: 'info', message: 'Vous êtes déconnecté.' },
} as const;

const loginForm = z.object({ email: z.string().trim().max(254), password: z.string().max(1024) });
const organisationForm = z.object({ organisationId: z.uuid() });

/**
 * The first page for the roles an agent holds in the acting organisation: the work list for those who
 * receive people, the inbox for partners, the directory for the others (its pages link onwards).
 */
export function landingPathFor(roles: readonly string[]): string {
  if (roles.some((role) => role === 'reception' || role === 'referent' || role === 'supervisor')) return '/mon-travail';
  if (roles.includes('partner')) return '/partenaire/orientations';
  if (roles.includes('auditor')) return '/audit';
  return '/annuaire';
}

async function landingPathOf(deps: PagesDependencies, agentId: string, organisationId: string | undefined): Promise<string> {
  if (!organisationId) return '/structure';
  const profile = await loadAgentProfile(deps.db, agentId);
  const acting = profile?.organisations.find((organisation) => organisation.id === organisationId);
  return acting ? landingPathFor(acting.roles) : '/structure';
}

export const homePage = definePage({
  method: 'get',
  path: '/',
  access: { kind: 'public' },
  handle: async ({ req, res, deps }) => {
    const agentId = req.session?.passport?.user;
    res.redirect(303, agentId ? await landingPathOf(deps, agentId, req.session.actingOrganisationId) : '/connexion');
  },
});

export const loginPage = definePage({
  method: 'get',
  path: '/connexion',
  access: { kind: 'public' },
  handle: async ({ req, res, deps }) => {
    const agentId = req.session?.passport?.user;
    if (agentId) return res.redirect(303, await landingPathOf(deps, agentId, req.session.actingOrganisationId));
    const motive = loginMotives[String(req.query.motif) as keyof typeof loginMotives] ?? null;
    await renderPage(deps, req, res, 'login', { title: 'Connexion', email: '', error: null, motive });
  },
});

export const logInPage = definePage({
  method: 'post',
  path: '/connexion',
  access: { kind: 'public' },
  handle: async ({ req, res, deps }) => {
    const form = loginForm.safeParse(req.body);
    const email = form.success ? form.data.email : '';
    try {
      if (!form.success || !email || !form.data.password) {
        throw new AppError('invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.');
      }
      const session = await logIn(deps.db, deps.passport, deps.loginThrottle, req, res);
      const acting = session.organisations.find((organisation) => organisation.id === session.actingOrganisationId);
      res.redirect(303, acting ? landingPathFor(acting.roles) : '/structure');
    } catch (error) {
      const refused = error instanceof AppError && (error.code === 'invalid_credentials' || error.code === 'too_many_requests');
      if (!refused) throw error;
      // The form again, with what went wrong: a back-off says how long to wait, and the agent can retry then.
      const backingOff = error.code === 'too_many_requests';
      if (backingOff && error.details.retryAfterSeconds !== undefined) {
        res.set('Retry-After', String(error.details.retryAfterSeconds));
      }
      await renderPage(
        deps,
        req,
        res,
        'login',
        {
          title: 'Connexion',
          email,
          error: backingOff ? error.message : 'Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez.',
          motive: null,
        },
        { status: backingOff ? 429 : 401 },
      );
    }
  },
});

export const logOutPage = definePage({
  method: 'post',
  path: '/deconnexion',
  access: { kind: 'public' },
  handle: async ({ req, res }) => {
    await logOut(req);
    res.clearCookie(sessionCookieName);
    res.redirect(303, '/connexion?motif=deconnexion');
  },
});

export const actingOrganisationPage = definePage({
  method: 'get',
  path: '/structure',
  access: { kind: 'agent' },
  handle: async ({ req, res, deps, caller }) => {
    const profile = await loadAgentProfile(deps.db, caller.agentId);
    if (!profile) throw new AppError('unauthenticated', 'Connectez-vous pour accéder à cette ressource.');
    await renderPage(deps, req, res, 'choose-organisation', {
      title: 'Choisir la structure',
      organisations: profile.organisations.map((organisation) => ({
        ...organisation,
        checked: organisation.id === req.session.actingOrganisationId,
      })),
      error: null,
    });
  },
});

export const chooseActingOrganisationPage = definePage({
  method: 'post',
  path: '/structure',
  access: { kind: 'agent' },
  handle: async ({ req, res, deps, caller }) => {
    const form = organisationForm.safeParse(req.body);
    if (!form.success) {
      const profile = await loadAgentProfile(deps.db, caller.agentId);
      await renderPage(
        deps,
        req,
        res,
        'choose-organisation',
        {
          title: 'Choisir la structure',
          organisations: (profile?.organisations ?? []).map((organisation) => ({ ...organisation, checked: false })),
          error: 'Choisissez une structure.',
        },
        { status: 400 },
      );
      return;
    }
    const session = await chooseActingOrganisation(deps.db, req, caller.agentId, form.data.organisationId);
    const chosen = session.organisations.find((organisation) => organisation.id === form.data.organisationId);
    setFlash(req, { kind: 'success', message: `Vous agissez pour ${chosen?.name ?? 'cette structure'}.` });
    res.redirect(303, landingPathFor(chosen?.roles ?? []));
  },
});

export const authPages: AnyPageRoute[] = [
  homePage,
  loginPage,
  logInPage,
  logOutPage,
  actingOrganisationPage,
  chooseActingOrganisationPage,
];
