import { type Database, withActor } from '@parcours/db';
import type { DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { consentNoticeFor, type NoticeRequest } from './consent-notice.ts';

/** The notice of one sharing scope, as the person is shown it (exact text, version, SHA-256) and its recipients. */
export function getConsentNotice(db: Database, scope: NoticeRequest, call: DeskCall) {
  return withActor(db, actorOf(call.agent), (tx) => consentNoticeFor(tx, scope));
}
