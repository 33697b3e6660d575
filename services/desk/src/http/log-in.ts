import type { Database } from '@parcours/db';
import type { Request, Response } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { loadAgentProfile } from '../features/auth/agent-organisations.ts';
import type { SessionView } from '../features/auth/auth.schemas.ts';
import type { LoginThrottle } from '../features/auth/login-throttle.ts';
import { verifyCredentials } from '../features/auth/verify-credentials.ts';
import { AppError } from './app-error.ts';

export type Authenticator = InstanceType<typeof passport.Authenticator>;

/** What passport carries for us: the agent id only. */
interface AgentUser {
  id: string;
}

/** One passport per app (not the module's singleton), so several apps can live in one process. */
export function createPassport(db: Database): Authenticator {
  const authenticator = new passport.Authenticator();
  authenticator.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: true }, (email, password, done) => {
      verifyCredentials(db, email, password).then((agent) => done(null, agent ?? false), done);
    }),
  );
  // The session holds the agent id only; roles are read per request by the policy.
  authenticator.serializeUser((agent, done) => done(null, (agent as AgentUser).id));
  authenticator.deserializeUser((id: string, done) => done(null, { id }));
  return authenticator;
}

function authenticate(passport: Authenticator, req: Request, res: Response): Promise<AgentUser | null> {
  return new Promise((resolve, reject) => {
    passport.authenticate('local', { session: false }, (error: unknown, agent: AgentUser | false) => {
      if (error) reject(error);
      else resolve(agent || null);
    })(req, res, reject);
  });
}

/**
 * Checks the password, then opens a new session (passport regenerates the id: no fixation). An agent
 * of a single organisation acts for it straight away; with several, the agent chooses.
 */
export async function logIn(
  db: Database,
  passport: Authenticator,
  throttle: LoginThrottle,
  req: Request,
  res: Response,
): Promise<SessionView> {
  const email = String((req.body as { email?: unknown } | undefined)?.email ?? '');
  const keys = throttle.keysOf(email, req.ip ?? '');
  await throttle.refuseWhileBackingOff(keys);
  const agent = await authenticate(passport, req, res);
  if (!agent) {
    await throttle.recordFailure(keys);
    throw new AppError('invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.');
  }
  await throttle.forgetAccount(keys.account);
  await new Promise<void>((resolve, reject) => req.logIn(agent, (error) => (error ? reject(error) : resolve())));
  const profile = await loadAgentProfile(db, agent.id);
  if (!profile) throw new AppError('invalid_credentials', 'Adresse e-mail ou mot de passe incorrect.');
  const only = profile.organisations.length === 1 ? profile.organisations[0] : undefined;
  if (only) req.session.actingOrganisationId = only.id;
  return { ...profile, actingOrganisationId: only?.id ?? null };
}

export function logOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
}

/** Makes the session act for one of the agent's organisations. */
export async function chooseActingOrganisation(
  db: Database,
  req: Request,
  agentId: string,
  organisationId: string,
): Promise<SessionView> {
  const profile = await loadAgentProfile(db, agentId);
  if (!profile?.organisations.some((organisation) => organisation.id === organisationId)) {
    throw new AppError('forbidden', 'Vous n’êtes pas membre de cette structure.');
  }
  req.session.actingOrganisationId = organisationId;
  return { ...profile, actingOrganisationId: organisationId };
}

export async function describeSession(db: Database, req: Request, agentId: string): Promise<SessionView> {
  const profile = await loadAgentProfile(db, agentId);
  if (!profile) throw new AppError('unauthenticated', 'Connectez-vous pour accéder à cette ressource.');
  return { ...profile, actingOrganisationId: req.session.actingOrganisationId ?? null };
}
