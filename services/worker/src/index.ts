export { type JobFailure, listJobFailures, type ReplayOutcome, replayJobFailure } from '@parcours/job-store';
export { type JobName, type JobPayload, jobCatalog, jobNames, timerDeliveryJobId } from '@parcours/jobs';
export type { JobQueue } from './jobs/job-queue.ts';
export { type MailTemplateName, mailTemplateNames } from './mail/mail.templates.ts';
export { createMailTransport, type MailConfig, type MailTransport, type OutgoingMail } from './mail/mail.transport.ts';
export { sweepTimers, type TimerSweepDeps } from './timer.sweep.ts';
export { createWorker, type ParcoursWorker, type WorkerDeps } from './worker.ts';
