import { z } from 'zod';
import { listOperationIssues, replayFailedJob, resendUndeliveredMail } from '../features/operations/operations.ts';
import { AppError } from '../http/app-error.ts';
import { renderPage, setFlash } from './page-context.ts';
import { type AnyPageRoute, definePage } from './page-route.ts';

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
const idOf = (value: unknown): string => {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw new AppError('not_found', 'Cette adresse ne correspond à rien.');
  return parsed.data;
};

/** « Exploitation »: failed jobs and undelivered mail, for admins (see features/operations). */
export const operationsPage = definePage({
  method: 'get',
  path: '/exploitation',
  access: { kind: 'acting', permission: 'operations.read' },
  handle: async ({ req, res, deps }) => {
    const { failures, mails } = await listOperationIssues(deps.db);
    await renderPage(
      deps,
      req,
      res,
      'operations',
      {
        title: 'Exploitation',
        failures: failures.map((failure) => ({
          id: failure.id,
          failedAt: dateTime.format(failure.failedAt),
          jobName: failure.jobName,
          attempts: failure.attempts,
          poison: failure.poison,
          error: failure.error.split('\n')[0],
        })),
        mails: mails.map((mail) => ({
          ...mail,
          claimedAt: dateTime.format(mail.claimedAt),
          uncertain: mail.status === 'uncertain',
          statusLabel: mail.status === 'uncertain' ? 'Incertain' : 'Refusé',
        })),
      },
      { nav: 'operations' },
    );
  },
});

export const replayFailedJobPage = definePage({
  method: 'post',
  path: '/exploitation/echecs/:failureId/rejeu',
  access: { kind: 'acting', permission: 'operations.replay' },
  handle: async ({ req, res, deps, call }) => {
    const outcome = await replayFailedJob(deps.db, idOf(req.params.failureId), call);
    setFlash(
      req,
      outcome === 'requeued'
        ? { kind: 'success', message: 'La tâche est remise en file : elle sera rejouée dans les secondes qui viennent.' }
        : {
            kind: 'info',
            message: outcome === 'already_replayed' ? 'Cette tâche a déjà été rejouée.' : 'Cette tâche est introuvable.',
          },
    );
    res.redirect(303, '/exploitation');
  },
});

export const resendMailPage = definePage({
  method: 'post',
  path: '/exploitation/courriels/:deliveryId/renvoi',
  access: { kind: 'acting', permission: 'operations.replay' },
  handle: async ({ req, res, deps, call }) => {
    const outcome = await resendUndeliveredMail(deps.db, idOf(req.params.deliveryId), call);
    setFlash(
      req,
      outcome === 'requeued'
        ? { kind: 'success', message: 'Le courriel est remis en file : il partira une fois.' }
        : {
            kind: 'info',
            message: outcome === 'already_sent' ? 'Ce courriel a déjà été remis.' : 'Ce courriel est introuvable.',
          },
    );
    res.redirect(303, '/exploitation');
  },
});

export const operationsPages: AnyPageRoute[] = [operationsPage, replayFailedJobPage, resendMailPage];
