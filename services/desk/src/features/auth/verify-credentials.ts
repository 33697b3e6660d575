import { agents, type Database } from '@parcours/db';
import argon2 from 'argon2';
import { eq, sql } from 'drizzle-orm';

let decoyHash: Promise<string> | undefined;

/**
 * The agent whose e-mail and password these are, or null. An unknown e-mail still costs one argon2
 * verification, so timing does not tell which addresses have an account.
 */
export async function verifyCredentials(db: Database, email: string, password: string): Promise<{ id: string } | null> {
  const [agent] = await db
    .select({ id: agents.id, passwordHash: agents.passwordHash, active: agents.active })
    .from(agents)
    .where(eq(sql`lower(${agents.email})`, email.toLowerCase()));
  if (!agent?.passwordHash || !agent.active) {
    decoyHash ??= argon2.hash('decoy password, never matches');
    await argon2.verify(await decoyHash, password);
    return null;
  }
  return (await argon2.verify(agent.passwordHash, password)) ? { id: agent.id } : null;
}
