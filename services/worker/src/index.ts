export { type JobFailure, listJobFailures, type ReplayOutcome, replayJobFailure } from '@parcours/job-store';
export { type JobName, type JobPayload, jobCatalog, jobNames, timerDeliveryJobId } from '@parcours/jobs';
export { type MailTemplateName, mailTemplateNames } from './mail/mail.templates.ts';
export { createMailTransport, type MailConfig, type MailTransport, type OutgoingMail } from './mail/mail.transport.ts';
export { createWorker, type ParcoursWorker, type WorkerDeps } from './worker.ts';
