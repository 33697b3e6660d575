import type { JourneyEvent } from './journey.machine.ts';
import type { ReferralEvent } from './referral.machine.ts';

/**
 * One or more valid events of each type, with payloads, for the model-based tests that walk the
 * machines' graphs (the pure path test here, the HTTP one through the services). Every entry parses
 * with its machine's zod schema, and every event type a schema allows has at least one entry (a test
 * keeps both true). Timer events are not listed: they belong to the clock, not to a person; a test that
 * needs them takes the `xstate.after.*` types from the machine itself.
 */

/** Fixed ids so that a walk through the graph is reproducible. */
export const sampleReferralIds = {
  first: '3f9a2c4e-8b1d-4e6f-9a2b-1c3d5e7f9a0b',
  second: '7c1e5a9b-2d4f-4a8c-b6e0-3f5a7c9e1b2d',
} as const;

export const sampleOrganisationId = 'b2d4f6a8-1c3e-4a5b-8d7f-9e0a2c4b6d8f';

export const journeySampleEvents: readonly JourneyEvent[] = [
  { type: 'START_ASSESSMENT' },
  { type: 'COMPLETE_ASSESSMENT' },
  { type: 'ENTER_CASE_MANAGEMENT' },
  { type: 'END_CASE_MANAGEMENT' },
  { type: 'REORIENT' },
  { type: 'SUSPEND', reason: 'lost_contact' },
  { type: 'SUSPEND', reason: 'person_request' },
  { type: 'RESUME' },
  { type: 'CLOSE', reason: 'information_given' },
  { type: 'CLOSE', reason: 'needs_met' },
  { type: 'REFERRAL_SENT', referralId: sampleReferralIds.first },
  { type: 'REFERRAL_SENT', referralId: sampleReferralIds.second },
  {
    type: 'REFERRAL_CLOSED',
    referralId: sampleReferralIds.first,
    status: 'completed',
    successful: true,
    outcome: 'need_met',
  },
  { type: 'REFERRAL_CLOSED', referralId: sampleReferralIds.first, status: 'declined', successful: false },
  { type: 'REFERRAL_CLOSED', referralId: sampleReferralIds.second, status: 'expired', successful: false },
];

export const referralSampleEvents: readonly ReferralEvent[] = [
  { type: 'SEND' },
  { type: 'MARK_SEEN' },
  { type: 'START_STUDY' },
  { type: 'ACCEPT' },
  { type: 'ACCEPT', conditions: 'Venir avec un justificatif de domicile' },
  { type: 'DECLINE', reason: 'service_full' },
  { type: 'REDIRECT', suggestedOrganisationId: sampleOrganisationId },
  { type: 'REDIRECT' },
  { type: 'SET_APPOINTMENT', at: '2025-03-12T09:30:00+01:00', mode: 'in_person' },
  { type: 'SET_APPOINTMENT', at: '2025-03-19T14:00:00+01:00', mode: 'visio', receptionPointId: sampleOrganisationId },
  { type: 'START_SUPPORT' },
  { type: 'REPORT_NO_SHOW' },
  { type: 'COMPLETE', outcome: 'rights_opened' },
  { type: 'ABANDON' },
  { type: 'CANCEL' },
];
