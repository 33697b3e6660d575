export { type JobFailure, listJobFailures, type ReplayOutcome, recordJobFailure, replayJobFailure } from './job-failures.ts';
export { listUndeliveredMail, resendMail, type UndeliveredMail } from './undelivered-mail.ts';
