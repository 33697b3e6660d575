export { type ParcoursWorker, type WorkerDeps, createWorker } from './worker.ts';
export { type JobName, type JobPayload, jobCatalog, jobNames, timerDeliveryJobId } from './jobs/job-catalog.ts';
export { type JobFailure, type ReplayOutcome, listJobFailures, replayJobFailure } from './jobs/job-failures.repository.ts';
export { type MailConfig, type MailTransport, type OutgoingMail, createMailTransport } from './mail/mail.transport.ts';
export { mailTemplateNames, type MailTemplateName } from './mail/mail.templates.ts';
