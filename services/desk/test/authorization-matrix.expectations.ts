import type { MembershipRole } from '@parcours/vocabulary';

/**
 * Who may succeed at each operation of the desk's API, stated once per operationId, independently of the
 * policy module: `authorization-matrix.test.ts` calls every operation of the OpenAPI document as every
 * principal below, under every condition an entry declares, and compares. An operation served without an
 * entry here, or an entry naming an operation no longer served, fails the test.
 *
 * Dimensions, and where they apply:
 * - principal: anonymous; logged in without an acting organisation; or an agent holding exactly one
 *   membership role (every role of `membershipRoles`) acting for an organisation that is
 *   - `own`: the organisation the subject belongs to (`owner`: the case's entry and référent organisation,
 *     or the referral's recipient for the partner's operations),
 *   - `neighbour`: another organisation of the same territory,
 *   - `outsider`: an organisation of another territory.
 *   Public operations are called anonymously only (role and organisation mean nothing to them); the
 *   partner-link operations are authorised by their token instead.
 * - referral `active` (sent, unanswered) / `closed` (declined by the partner): the operations on a sent
 *   referral (partner reads and answers, cancel, partner links).
 * - consent of the person `active` (names the recipient and the référent candidate) / `withdrawn` /
 *   `absent` (never given; the referral was sent by the engine alone): the operations whose decision reads
 *   the consent (partner reads and answers, sending, handover, partner links).
 * - partner link `valid` / `expired`: the partner-link operations.
 * A dimension not listed on an entry does not change its outcome and is not multiplied.
 */

export type OrganisationRelation = 'own' | 'neighbour' | 'outsider';
export const organisationRelations: readonly OrganisationRelation[] = ['own', 'neighbour', 'outsider'];

export type ReferralState = 'active' | 'closed';
export type ConsentState = 'active' | 'withdrawn' | 'absent';
export type LinkState = 'valid' | 'expired';

export const conditionValues = {
  link: ['valid', 'expired'] as readonly LinkState[],
  referral: ['active', 'closed'] as readonly ReferralState[],
  consent: ['active', 'withdrawn', 'absent'] as readonly ConsentState[],
};
/** The order the desk checks them in: a link is resolved before its referral, the referral before the consent. */
export type ConditionName = keyof typeof conditionValues;
export const conditionOrder: readonly ConditionName[] = ['link', 'referral', 'consent'];

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'no-acting-organisation' }
  | { kind: 'acting'; role: MembershipRole; organisation: OrganisationRelation };

export interface Cell {
  operationId: string;
  principal: Principal;
  link?: LinkState;
  referral?: ReferralState;
  consent?: ConsentState;
}

/** Roles that may call, and the organisations for which the call reaches the subject. */
export interface Grant {
  roles: readonly MembershipRole[];
  organisations: readonly OrganisationRelation[];
}

/** A condition the operation depends on: the values under which it may succeed, and its answer otherwise. */
export interface Condition<V> {
  allows: readonly V[];
  otherwise: number;
  /** A refused value answered otherwise than `otherwise` (a withdrawn consent cancels the referral first). */
  except?: Partial<Record<string, number>>;
}

export interface Expectation {
  access: 'public' | 'agent' | 'acting';
  /** Acting operations only: default deny, so a role missing from every grant gets 403. */
  grants?: readonly Grant[];
  /** Which organisation is `own`. */
  owner: 'entry' | 'recipient';
  link?: Condition<LinkState>;
  referral?: Condition<ReferralState>;
  consent?: Condition<ConsentState>;
  /**
   * A list or search: every granted role gets a 2xx, and the subject appears in it only for the
   * organisations of its grant (the others get a list without it, never a 404).
   */
  list?: boolean;
  /** Status of a success. */
  success: number;
  /**
   * Returns or discloses person data: every call an actor can be named for (an agent acting for an
   * organisation, or a real partner link) writes an audit row under the request's id, `allowed` when it
   * succeeds and `denied` when it is refused.
   */
  readsPersonData: boolean;
  /** Refusals the code does not audit, with why (the audit coverage test skips them). */
  unauditedRefusals?: { statuses: readonly number[]; why: string };
  /**
   * `consumes`: a success changes the subject so that the same call could not succeed again, so every
   * successful cell gets a fresh subject; `appends`: repeated successes are fine, the subject is shared;
   * `session`: the call changes the caller's session, so it runs on a session of its own.
   */
  mutates: 'no' | 'appends' | 'consumes' | 'session';
}

const readers: readonly MembershipRole[] = ['reception', 'referent', 'supervisor'];
const writers: readonly MembershipRole[] = ['reception', 'referent'];
/** The roles that handle the referrals addressed to their organisation (a CCAS's reception agents as much as a CAF's partners). */
const receivers: readonly MembershipRole[] = ['reception', 'referent', 'partner'];
const directoryReaders: readonly MembershipRole[] = ['reception', 'referent', 'partner', 'supervisor', 'admin', 'auditor'];
const everywhere = organisationRelations;
const territory: readonly OrganisationRelation[] = ['own', 'neighbour'];
const ownOnly: readonly OrganisationRelation[] = ['own'];

const publicOperation = (success: number): Expectation => ({
  access: 'public',
  owner: 'entry',
  success,
  readsPersonData: false,
  mutates: 'no',
});

const supervisionOperation: Expectation = {
  access: 'acting',
  grants: [{ roles: ['supervisor', 'reception', 'referent', 'partner'], organisations: everywhere }],
  owner: 'entry',
  success: 200,
  readsPersonData: false,
  mutates: 'no',
};

export const expectations = {
  getHealth: publicOperation(200),
  getReadiness: publicOperation(200),
  // Served to the bearer of METRICS_TOKEN (the matrix presents it; readiness.test.ts checks the refusals).
  getMetrics: publicOperation(200),
  getOpenApiDocument: publicOperation(200),
  getCsrfToken: publicOperation(200),
  login: publicOperation(200),
  logout: publicOperation(204),
  getSession: { access: 'agent', owner: 'entry', success: 200, readsPersonData: false, mutates: 'no' },
  // The body names the organisation the principal acts for (a membership): 403 otherwise, tested in auth.test.ts.
  chooseActingOrganisation: { access: 'agent', owner: 'entry', success: 200, readsPersonData: false, mutates: 'session' },

  createPerson: {
    access: 'acting',
    grants: [{ roles: writers, organisations: everywhere }],
    owner: 'entry',
    success: 201,
    readsPersonData: true,
    mutates: 'appends',
  },
  // The match token is the authorisation to reach the person: it is signed for one organisation only.
  linkKnownPerson: {
    access: 'acting',
    grants: [{ roles: writers, organisations: everywhere }],
    owner: 'entry',
    success: 201,
    readsPersonData: true,
    mutates: 'appends',
  },
  searchPersons: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    list: true,
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  openCase: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 201,
    // Answers the new case's state only; a member the organisation does not reach is refused and audited.
    readsPersonData: false,
    mutates: 'appends',
  },
  listCases: {
    access: 'acting',
    grants: [{ roles: readers, organisations: ownOnly }],
    owner: 'entry',
    list: true,
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  getCase: {
    access: 'acting',
    grants: [{ roles: readers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  sendCaseEvent: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: false,
    mutates: 'consumes',
  },
  getCaseTimeline: {
    access: 'acting',
    grants: [{ roles: readers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },

  createAssessment: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 201,
    readsPersonData: true,
    mutates: 'consumes',
  },
  listCaseAssessments: {
    access: 'acting',
    grants: [{ roles: readers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  getAssessment: {
    access: 'acting',
    grants: [{ roles: readers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  saveAssessmentDraft: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'appends',
  },
  completeAssessment: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'consumes',
  },
  followUpPotentialRight: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'consumes',
  },

  getOrientationSuggestions: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  chooseOrientation: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 201,
    readsPersonData: true,
    mutates: 'consumes',
  },
  listOrientationChoices: {
    access: 'acting',
    grants: [{ roles: readers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },

  // The directory holds no personal data; a service is found only in the directory of its own territory.
  searchServices: {
    access: 'acting',
    grants: [{ roles: directoryReaders, organisations: everywhere }],
    owner: 'entry',
    success: 200,
    readsPersonData: false,
    mutates: 'no',
  },
  getDirectoryService: {
    access: 'acting',
    grants: [{ roles: directoryReaders, organisations: territory }],
    owner: 'entry',
    success: 200,
    readsPersonData: false,
    unauditedRefusals: {
      statuses: [404],
      why: 'the directory holds no personal data: a service outside the territory is unknown, like a directory search (not audited)',
    },
    mutates: 'no',
  },
  unlockAgentLogin: {
    access: 'acting',
    // An admin of the territory lifts an agent's login back-off; an agent of another territory is unknown (404).
    grants: [{ roles: ['admin'], organisations: territory }],
    owner: 'entry',
    success: 204,
    readsPersonData: false,
    mutates: 'appends',
  },
  importDirectory: {
    access: 'acting',
    grants: [{ roles: ['admin'], organisations: everywhere }],
    owner: 'entry',
    success: 200,
    readsPersonData: false,
    mutates: 'appends',
  },
  // A file handed to the worker; its progress is read in the territory it was handed in (another's is unknown).
  startDirectoryImport: {
    access: 'acting',
    grants: [{ roles: ['admin'], organisations: everywhere }],
    owner: 'entry',
    success: 202,
    readsPersonData: false,
    mutates: 'appends',
  },
  getDirectoryImport: {
    access: 'acting',
    grants: [{ roles: ['admin'], organisations: territory }],
    owner: 'entry',
    success: 200,
    readsPersonData: false,
    unauditedRefusals: {
      statuses: [404],
      why: 'a directory import holds no personal data: one of another territory is unknown, like a directory service (not audited)',
    },
    mutates: 'no',
  },
  exportDirectory: {
    access: 'acting',
    grants: [{ roles: directoryReaders, organisations: everywhere }],
    owner: 'entry',
    success: 200,
    readsPersonData: false,
    mutates: 'no',
  },

  // Supervision (issue 17): aggregates, no person data; a supervisor sees the territory, other agents their
  // organisation's part, so every organisation gets an answer (never a subject to miss).
  // The caller's own membership setting (one mail per new referral, or a half-day digest): partner agents,
  // whatever organisation they act for; no subject, no person data.
  getReferralMailPreference: {
    access: 'acting',
    grants: [{ roles: ['partner'], organisations: everywhere }],
    owner: 'recipient',
    success: 200,
    readsPersonData: false,
    mutates: 'no',
  },
  setReferralMailPreference: {
    access: 'acting',
    grants: [{ roles: ['partner'], organisations: everywhere }],
    owner: 'recipient',
    success: 200,
    readsPersonData: false,
    mutates: 'appends',
  },
  getSupervisionDelays: supervisionOperation,
  getSupervisionBreaches: supervisionOperation,
  getSupervisionNonTakeUp: supervisionOperation,
  getSupervisionActivity: supervisionOperation,
  exportSupervisionTable: supervisionOperation,

  listAuditEvents: {
    access: 'acting',
    grants: [{ roles: ['auditor', 'supervisor'], organisations: territory }],
    owner: 'entry',
    list: true,
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  whoSawPerson: {
    access: 'acting',
    grants: [{ roles: ['auditor', 'supervisor'], organisations: territory }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  exportPersonData: {
    access: 'acting',
    grants: [
      { roles: ['referent'], organisations: ownOnly },
      { roles: ['auditor'], organisations: territory },
    ],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },

  // Ids and codes only in the query, no person: any organisation may print a notice.
  getConsentNotice: {
    access: 'acting',
    grants: [{ roles: writers, organisations: everywhere }],
    owner: 'entry',
    success: 200,
    readsPersonData: false,
    mutates: 'no',
  },
  recordConsent: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 201,
    readsPersonData: true,
    mutates: 'appends',
  },
  withdrawConsent: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'consumes',
  },
  listPersonConsents: {
    access: 'acting',
    grants: [{ roles: readers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },

  listCaseReferrals: {
    access: 'acting',
    grants: [{ roles: readers, organisations: ownOnly }],
    owner: 'entry',
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  sendReferral: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    consent: { allows: ['active'], otherwise: 422 },
    success: 200,
    readsPersonData: true,
    unauditedRefusals: {
      statuses: [422],
      why: 'the sender holds the file: a send its consent does not cover discloses nothing, and the engine step is rolled back',
    },
    mutates: 'consumes',
  },
  cancelReferral: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    referral: { allows: ['active'], otherwise: 409 },
    success: 200,
    // Answers the referral's status and dates, nothing of the person.
    readsPersonData: false,
    unauditedRefusals: {
      statuses: [409],
      why: 'a closed referral of a file the caller holds is a state conflict, not an access refused to anyone',
    },
    mutates: 'consumes',
  },
  handOverReferent: {
    access: 'acting',
    grants: [{ roles: ['referent'], organisations: ownOnly }],
    owner: 'entry',
    consent: { allows: ['active'], otherwise: 422 },
    success: 200,
    readsPersonData: true,
    unauditedRefusals: {
      statuses: [422],
      why: 'the référent holds the file: a handover its consent does not cover discloses nothing, and the engine step is rolled back',
    },
    mutates: 'consumes',
  },
  listPartnerInbox: {
    access: 'acting',
    grants: [{ roles: receivers, organisations: ownOnly }],
    owner: 'recipient',
    list: true,
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  getPartnerReferral: {
    access: 'acting',
    grants: [{ roles: receivers, organisations: ownOnly }],
    owner: 'recipient',
    referral: { allows: ['active'], otherwise: 404 },
    consent: { allows: ['active'], otherwise: 404 },
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  answerReferral: {
    access: 'acting',
    grants: [{ roles: receivers, organisations: ownOnly }],
    owner: 'recipient',
    referral: { allows: ['active'], otherwise: 404 },
    consent: { allows: ['active'], otherwise: 404 },
    success: 200,
    readsPersonData: true,
    mutates: 'consumes',
  },

  issuePartnerLink: {
    access: 'acting',
    grants: [{ roles: writers, organisations: ownOnly }],
    owner: 'entry',
    referral: { allows: ['active'], otherwise: 409 },
    success: 201,
    readsPersonData: false,
    unauditedRefusals: {
      statuses: [409],
      why: 'a closed referral of a file the caller holds is a state conflict, not an access refused to anyone',
    },
    mutates: 'appends',
  },
  getReferralByPartnerLink: {
    access: 'public',
    owner: 'recipient',
    link: { allows: ['valid'], otherwise: 403 },
    referral: { allows: ['active'], otherwise: 403 },
    consent: { allows: ['active'], otherwise: 403 },
    success: 200,
    readsPersonData: true,
    mutates: 'no',
  },
  answerByPartnerLink: {
    access: 'public',
    owner: 'recipient',
    link: { allows: ['valid'], otherwise: 403 },
    referral: { allows: ['active'], otherwise: 403 },
    // A withdrawn consent cancels the referrals still awaiting an answer: the link then refuses as for a closed
    // referral (403). A consent never given (`absent`) is checked as for a partner agent (404, nothing written).
    consent: { allows: ['active'], otherwise: 404, except: { withdrawn: 403 } },
    success: 200,
    readsPersonData: true,
    mutates: 'consumes',
  },
} satisfies Record<string, Expectation>;

export type OperationId = keyof typeof expectations;

export type ExpectedOutcome =
  | { kind: 'success'; status: number; subjectVisible: boolean }
  | { kind: 'refused'; status: number; because: string };

/** What a cell must answer, from its operation's entry alone. */
export function expectedOutcome(entry: Expectation, cell: Cell): ExpectedOutcome {
  if (entry.access !== 'public') {
    if (cell.principal.kind === 'anonymous') return { kind: 'refused', status: 401, because: 'not logged in' };
    if (entry.access === 'acting') {
      if (cell.principal.kind !== 'acting') return { kind: 'refused', status: 403, because: 'no acting organisation' };
      const { role, organisation } = cell.principal;
      const byRole = (entry.grants ?? []).filter((grant) => grant.roles.includes(role));
      if (byRole.length === 0) return { kind: 'refused', status: 403, because: `role ${role} holds no grant` };
      if (!byRole.some((grant) => grant.organisations.includes(organisation))) {
        if (entry.list) return { kind: 'success', status: entry.success, subjectVisible: false };
        return { kind: 'refused', status: 404, because: `${organisation} organisation does not reach the subject` };
      }
    }
  }
  for (const name of conditionOrder) {
    const condition = entry[name] as Condition<string> | undefined;
    const value = cell[name];
    if (condition && value !== undefined && !condition.allows.includes(value)) {
      return { kind: 'refused', status: condition.except?.[value] ?? condition.otherwise, because: `${name} ${value}` };
    }
  }
  return { kind: 'success', status: entry.success, subjectVisible: true };
}

/** The operations that must audit their reads: derived from the flags, so a new reading operation declares itself. */
export const personDataOperations = (Object.entries(expectations) as Array<[OperationId, Expectation]>)
  .filter(([, entry]) => entry.readsPersonData)
  .map(([operationId]) => operationId);
