import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type Database,
  type Executor,
  organisations,
  personIdentities,
  personMatchKeys,
  persons,
  systemActor,
  withActor,
} from '@parcours/db';
import { type Identity, matchKeysOf } from '@parcours/identity-match';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { DeskCall } from '../../http/desk-call.ts';

/**
 * One person across the structures of a territory: the identity's keyed digests
 * (`@parcours/identity-match`), written when a structure records a person and compared when another
 * searches. A match is handed to the searching structure as an opaque token, signed for it and short-lived:
 * it names the person only to the server, and only this structure can link its contact with it.
 */
export async function recordMatchKeys(
  tx: Executor,
  personId: string,
  identity: Identity,
  call: DeskCall,
  secret: string,
): Promise<void> {
  const keys = matchKeysOf(identity, secret);
  if (keys.length === 0) return;
  await tx
    .insert(personMatchKeys)
    .values(
      keys.map((key) => ({ personId, territoryId: call.agent.territoryId, key, organisationId: call.agent.organisationId })),
    )
    .onConflictDoNothing();
}

/** How long a match found by a search may be linked: the time of one reception. */
export const matchTokenValidityMs = 2 * 60 * 60 * 1000;

function signatureOf(secret: string, organisationId: string, personId: string, expiry: string): Buffer {
  return createHmac('sha256', secret).update(`person-match:${organisationId}.${personId}.${expiry}`).digest();
}

export function signMatchToken(secret: string, organisationId: string, personId: string, now: Date): string {
  const expiry = (now.getTime() + matchTokenValidityMs).toString(36);
  const payload = Buffer.from(`${personId}.${expiry}`).toString('base64url');
  return `${payload}.${signatureOf(secret, organisationId, personId, expiry).toString('base64url')}`;
}

/** The person a genuine, unexpired token names for this organisation; else null. */
export function verifyMatchToken(secret: string, organisationId: string, token: string, now: Date): string | null {
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [payload = '', signature = ''] = parts;
  if (!/^[A-Za-z0-9_-]{1,120}$/.test(payload) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return null;
  const [personId = '', expiry = ''] = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  if (!/^[0-9a-f-]{36}$/.test(personId) || !/^[0-9a-z]{1,12}$/.test(expiry)) return null;
  const expected = signatureOf(secret, organisationId, personId, expiry);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Number.parseInt(expiry, 36) > now.getTime() ? personId : null;
}

/** The key identity matching uses: the one given, or one derived from the session secret. */
export function identityMatchSecretOf(given: string | undefined, sessionSecret: string): string {
  if (given !== undefined) {
    if (given.length < 32) throw new Error('identityMatchSecret must be at least 32 characters');
    return given;
  }
  return createHmac('sha256', sessionSecret).update('parcours:identity-match-key').digest('base64url');
}

/**
 * Writes the match keys of the persons recorded without them (before matching existed, by the demo seed, or
 * with another secret's keys gone): run at start, as the system; idempotent, and a no-op once done.
 * Returns how many persons were given keys.
 */
export async function backfillMatchKeys(db: Database, secret: string): Promise<number> {
  return withActor(db, systemActor, async (tx) => {
    const missing = await tx
      .select({
        personId: personIdentities.personId,
        familyName: personIdentities.familyName,
        givenNames: personIdentities.givenNames,
        birthName: personIdentities.birthName,
        birthDate: personIdentities.birthDate,
        organisationId: persons.createdByOrganisationId,
        territoryId: organisations.territoryId,
      })
      .from(personIdentities)
      .innerJoin(persons, eq(persons.id, personIdentities.personId))
      .innerJoin(organisations, eq(organisations.id, persons.createdByOrganisationId))
      .where(
        and(
          isNotNull(personIdentities.birthDate),
          sql`not exists (select 1 from ${personMatchKeys} k where k.person_id = ${personIdentities.personId})`,
        ),
      );
    let written = 0;
    for (const row of missing) {
      if (!row.birthDate || !row.organisationId) continue;
      const keys = matchKeysOf(
        { familyName: row.familyName, givenNames: row.givenNames, birthDate: row.birthDate, birthName: row.birthName },
        secret,
      );
      if (keys.length === 0) continue;
      await tx
        .insert(personMatchKeys)
        .values(
          keys.map((key) => ({
            personId: row.personId,
            territoryId: row.territoryId,
            key,
            organisationId: row.organisationId as string,
          })),
        )
        .onConflictDoNothing();
      written += 1;
    }
    return written;
  });
}
