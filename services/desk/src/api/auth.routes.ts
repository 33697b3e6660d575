import type { CsrfSync } from 'csrf-sync';
import { z } from 'zod';
import { chooseActingOrganisationBody, csrfTokenView, loginBody, sessionView } from '../features/auth/auth.schemas.ts';
import type { LoginThrottle } from '../features/auth/login-throttle.ts';
import { unlockAgentLogin } from '../features/auth/unlock-agent-login.ts';
import { sessionCookieName } from '../http/database-session.store.ts';
import { type Authenticator, chooseActingOrganisation, describeSession, logIn, logOut } from '../http/log-in.ts';
import { defineRoute } from '../http/route.ts';

export interface AuthRouteDependencies {
  passport: Authenticator;
  loginThrottle: LoginThrottle;
  csrf: CsrfSync;
}

export function authRoutes({ passport, loginThrottle, csrf }: AuthRouteDependencies) {
  return [
    defineRoute({
      operationId: 'login',
      method: 'post',
      path: '/api/v1/auth/login',
      summary: 'Se connecter ; la réponse liste les structures pour lesquelles l’agent peut agir',
      tags: ['auth'],
      access: { kind: 'public' },
      body: loginBody,
      responses: { 200: { description: 'Connecté ; cookie de session posé', schema: sessionView } },
      handle: async ({ req, res, deps }) => ({ status: 200, body: await logIn(deps.db, passport, loginThrottle, req, res) }),
    }),
    defineRoute({
      operationId: 'logout',
      method: 'post',
      path: '/api/v1/auth/logout',
      summary: 'Se déconnecter',
      tags: ['auth'],
      access: { kind: 'public' },
      responses: { 204: { description: 'Session close' } },
      handle: async ({ req, res }) => {
        await logOut(req);
        res.clearCookie(sessionCookieName);
        return { status: 204 };
      },
    }),
    defineRoute({
      operationId: 'chooseActingOrganisation',
      method: 'post',
      path: '/api/v1/auth/acting-organisation',
      summary: 'Choisir la structure pour laquelle la session agit',
      tags: ['auth'],
      access: { kind: 'agent' },
      body: chooseActingOrganisationBody,
      responses: { 200: { description: 'La session agit pour cette structure', schema: sessionView } },
      handle: async ({ caller, body, req, deps }) => ({
        status: 200,
        body: await chooseActingOrganisation(deps.db, req, caller.agentId, body.organisationId),
      }),
    }),
    defineRoute({
      operationId: 'getSession',
      method: 'get',
      path: '/api/v1/auth/session',
      summary: 'L’agent connecté, ses structures et celle pour laquelle il agit',
      tags: ['auth'],
      access: { kind: 'agent' },
      responses: { 200: { description: 'La session', schema: sessionView } },
      handle: async ({ caller, req, deps }) => ({ status: 200, body: await describeSession(deps.db, req, caller.agentId) }),
    }),
    defineRoute({
      operationId: 'getCsrfToken',
      method: 'get',
      path: '/api/v1/auth/csrf',
      summary: 'Le jeton anti-CSRF de la session, à joindre aux formulaires (champ _csrf ou en-tête X-CSRF-Token)',
      tags: ['auth'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Le jeton', schema: csrfTokenView } },
      handle: async ({ req }) => ({
        status: 200,
        body: { csrfToken: csrf.generateToken(req) },
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
    defineRoute({
      operationId: 'unlockAgentLogin',
      method: 'post',
      path: '/api/v1/agents/{agentId}/login-unlock',
      summary: 'Lever l’attente imposée après des échecs de connexion à un agent du territoire (administrateur)',
      tags: ['auth'],
      access: { kind: 'acting', permission: 'agent.unlock' },
      params: z.strictObject({ agentId: z.uuid() }),
      responses: { 204: { description: 'Les échecs de connexion de l’agent sont oubliés' } },
      handle: async ({ call, params, deps }) => {
        await unlockAgentLogin(deps.db, loginThrottle, params.agentId, call);
        return { status: 204 };
      },
    }),
  ];
}
