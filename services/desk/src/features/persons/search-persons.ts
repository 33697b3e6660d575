import { type Database, type Executor, organisations, personIdentities, personMatchKeys, persons, withActor } from '@parcours/db';
import { matchKeysOf } from '@parcours/identity-match';
import type { OrganisationKind } from '@parcours/vocabulary';
import { and, eq, inArray, isNull, like, or } from 'drizzle-orm';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf, reachablePersons } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { isOneEditApart, normaliseName } from './normalise-name.ts';
import type { DuplicateCandidate, KnownElsewhere, MatchReason, SearchPersonsBody } from './person.schemas.ts';
import { signMatchToken } from './person-match.ts';
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
  identityMatchSecret?: string,
): Promise<{ candidates: DuplicateCandidate[]; knownElsewhere: KnownElsewhere[] }> {
  const family = normaliseName(input.familyName);
  const firstFamilyWord = family.split(' ')[0] ?? family;
  return withActor(db, actorOf(call.agent), async (tx) => {
    // A loose pre-filter (family name's first three letters, or the birth date), then exact scoring.
    // `%`, `_` and `\` typed in a name are letters to match, not LIKE's wildcards.
    const prefix = `${firstFamilyWord.slice(0, 3).replace(/[\\%_]/g, '\\$&')}%`;
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
    const elsewhere = identityMatchSecret ? await knownElsewhereOf(tx, input, call, identityMatchSecret) : [];
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'person.search',
        subjectKind: 'person',
        subjectIds: [...candidates.map((candidate) => candidate.person.id), ...elsewhere.map((match) => match.personId)],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return {
      candidates,
      knownElsewhere: elsewhere.map(({ matchToken, structureKinds }) => ({ matchToken, structureKinds })),
    };
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

/**
 * The persons of the territory this identity matches (keyed digests) that the organisation does not reach:
 * it learns only that she is known, and by which kinds of structure, with a token to link its contact to
 * her. Needs the given names and the birth date: a family name alone would match too many.
 */
async function knownElsewhereOf(
  tx: Executor,
  input: SearchPersonsBody,
  call: DeskCall,
  secret: string,
): Promise<Array<KnownElsewhere & { personId: string }>> {
  if (!input.givenNames || !input.birthDate) return [];
  const keys = matchKeysOf({ familyName: input.familyName, givenNames: input.givenNames, birthDate: input.birthDate }, secret);
  if (keys.length === 0) return [];
  const matched = await tx
    .selectDistinct({ personId: personMatchKeys.personId, kind: organisations.kind })
    .from(personMatchKeys)
    .innerJoin(organisations, eq(organisations.id, personMatchKeys.organisationId))
    .where(and(eq(personMatchKeys.territoryId, call.agent.territoryId), inArray(personMatchKeys.key, keys)))
    .limit(maxCandidates * 4);
  const personIds = [...new Set(matched.map((row) => row.personId))];
  if (personIds.length === 0) return [];
  // Row-level security shows the persons this organisation already reaches: those are its own candidates.
  const reached = new Set(
    (await tx.select({ id: persons.id }).from(persons).where(inArray(persons.id, personIds))).map((row) => row.id),
  );
  const now = call.clock.now();
  return personIds
    .filter((personId) => !reached.has(personId))
    .slice(0, maxCandidates)
    .map((personId) => ({
      personId,
      matchToken: signMatchToken(secret, call.agent.organisationId, personId, now),
      structureKinds: [
        ...new Set(matched.filter((row) => row.personId === personId).map((row) => row.kind as OrganisationKind)),
      ].sort(),
    }));
}
