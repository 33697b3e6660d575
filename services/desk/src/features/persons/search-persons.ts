import { type Database, personIdentities, persons, withActor } from '@parcours/db';
import { and, eq, isNull, like, or } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { isOneEditApart, normaliseName } from './normalise-name.ts';
import type { DuplicateCandidate, MatchReason, SearchPersonsBody } from './person.schemas.ts';
import { personOf } from './person-view.ts';

/** Below this, a row is noise rather than a possible duplicate. */
const candidateThreshold = 40;
const maxCandidates = 20;
/** Rows the SQL pre-filter hands to the scorer; plenty for one organisation's files. */
const maxScanned = 500;

const weights: Record<MatchReason, number> = {
  family_name: 40,
  family_name_close: 25,
  birth_name: 35,
  given_names: 30,
  first_given_name: 20,
  birth_date: 25,
  commune: 5,
};

/**
 * Duplicate candidates among the persons the organisation reaches: same or nearly same family name
 * (or birth name), given names, birth date, commune, compared without accents or case. Scored in code
 * so the reasons can be shown to the agent, who decides.
 */
export async function searchPersons(
  db: Database,
  input: SearchPersonsBody,
  call: DeskCall,
): Promise<{ candidates: DuplicateCandidate[] }> {
  const family = normaliseName(input.familyName);
  const firstFamilyWord = family.split(' ')[0] ?? family;
  return withActor(db, actorOf(call.agent), async (tx) => {
    // A loose pre-filter (family name's first three letters, or the birth date), then exact scoring.
    const prefix = `${firstFamilyWord.slice(0, 3)}%`;
    const rows = await tx
      .select({ identity: personIdentities })
      .from(personIdentities)
      .innerJoin(persons, eq(persons.id, personIdentities.personId))
      .where(
        and(
          isNull(persons.anonymisedAt),
          reachablePersons(call.agent),
          or(
            like(personIdentities.searchKey, prefix),
            input.birthDate ? eq(personIdentities.birthDate, input.birthDate) : undefined,
          ),
        ),
      )
      .limit(maxScanned);
    const candidates = rows
      .map(({ identity }) => scoreCandidate(identity, input))
      .filter((candidate) => candidate.score >= candidateThreshold)
      .sort((a, b) => b.score - a.score || a.person.id.localeCompare(b.person.id))
      .slice(0, maxCandidates);
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'person.search',
        subjectKind: 'person',
        subjectIds: candidates.map((candidate) => candidate.person.id),
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return { candidates };
  });
}

function scoreCandidate(identity: typeof personIdentities.$inferSelect, wanted: SearchPersonsBody): DuplicateCandidate {
  const reasons: MatchReason[] = [];
  const family = normaliseName(wanted.familyName);
  const theirFamily = normaliseName(identity.familyName);
  if (theirFamily === family) reasons.push('family_name');
  else if (isOneEditApart(theirFamily, family)) reasons.push('family_name_close');
  if (identity.birthName && normaliseName(identity.birthName) === family) reasons.push('birth_name');
  if (wanted.givenNames) {
    const given = normaliseName(wanted.givenNames);
    const theirGiven = normaliseName(identity.givenNames);
    if (theirGiven === given) reasons.push('given_names');
    else if (theirGiven.split(' ')[0] === given.split(' ')[0]) reasons.push('first_given_name');
  }
  if (wanted.birthDate && identity.birthDate === wanted.birthDate) reasons.push('birth_date');
  if (wanted.communeInsee && identity.communeInsee === wanted.communeInsee) reasons.push('commune');
  const score = Math.min(
    100,
    reasons.reduce((sum, reason) => sum + weights[reason], 0),
  );
  return { person: personOf(identity), score, reasons };
}
