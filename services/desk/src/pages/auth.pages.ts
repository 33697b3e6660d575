import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { loadAgentProfile } from '../auth/agent-organisations.ts';
import { sessionCookieName } from '../auth/auth.routes.ts';
import { type Authenticator, chooseActingOrganisation, logIn, logOut } from '../auth/log-in.ts';
import { AppError } from '../errors/app-error.ts';
import { callerOf, type PagesDependencies, renderPage, setFlash } from './page-context.ts';

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

export function mountAuthPages(
  router: Router,
  deps: PagesDependencies,
  auth: { passport: Authenticator; loginRateLimit: RequestHandler },
): void {
  router.get('/', async (req, res) => {
    const agentId = req.session?.passport?.user;
    res.redirect(303, agentId ? await landingPathOf(deps, agentId, req.session.actingOrganisationId) : '/connexion');
  });

  router.get('/connexion', async (req, res) => {
    const agentId = req.session?.passport?.user;
    if (agentId) return res.redirect(303, await landingPathOf(deps, agentId, req.session.actingOrganisationId));
    const motive = loginMotives[String(req.query.motif) as keyof typeof loginMotives] ?? null;
    await renderPage(deps, req, res, 'login', { title: 'Connexion', email: '', error: null, motive });
  });

  router.post('/connexion', auth.loginRateLimit, async (req, res) => {
    const form = loginForm.safeParse(req.body);
    const email = form.success ? form.data.email : '';
    try {
      if (!form.success || !email || !form.data.password) {
        throw new AppError('invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.');
      }
      const session = await logIn(deps.db, auth.passport, req, res);
      const acting = session.organisations.find((organisation) => organisation.id === session.actingOrganisationId);
      res.redirect(303, acting ? landingPathFor(acting.roles) : '/structure');
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid_credentials') throw error;
      await renderPage(
        deps,
        req,
        res,
        'login',
        {
          title: 'Connexion',
          email,
          error: 'Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez.',
          motive: null,
        },
        { status: 401 },
      );
    }
  });

  router.post('/deconnexion', async (req, res) => {
    await logOut(req);
    res.clearCookie(sessionCookieName);
    res.redirect(303, '/connexion?motif=deconnexion');
  });

  router.get('/structure', async (req, res) => {
    const caller = await callerOf(deps, { kind: 'agent' }, req, res);
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
  });

  router.post('/structure', async (req, res) => {
    const caller = await callerOf(deps, { kind: 'agent' }, req, res);
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
  });
}
