import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A partner link's token: `<link id>.<expiry, base 36 ms>.<HMAC-SHA256, base64url>`. It carries a random
 * id and a date, nothing about the person; the server stores only its SHA-256. The HMAC (server secret)
 * lets a tampered or forged token be refused before the database is asked anything.
 */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function signatureOf(secret: string, linkId: string, expiry: string): Buffer {
  return createHmac('sha256', secret).update(`partner-link:${linkId}.${expiry}`).digest();
}

export function signPartnerLinkToken(secret: string, linkId: string, expiresAt: Date): string {
  const expiry = expiresAt.getTime().toString(36);
  return `${linkId}.${expiry}.${signatureOf(secret, linkId, expiry).toString('base64url')}`;
}

/** The link id and expiry of a genuine token, or null (malformed, or not signed with this secret). */
export function verifyPartnerLinkToken(secret: string, token: string): { linkId: string; expiresAt: Date } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [linkId = '', expiry = '', signature = ''] = parts;
  if (!uuidPattern.test(linkId) || !/^[0-9a-z]{1,12}$/.test(expiry) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return null;
  const expected = signatureOf(secret, linkId, expiry);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { linkId, expiresAt: new Date(Number.parseInt(expiry, 36)) };
}

export function partnerLinkTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Partner links are valid 8 days (calendar days), the field's usual answer window without an account. */
export const partnerLinkValidityMs = 8 * 24 * 60 * 60 * 1000;

/**
 * The key partner links are signed with: the one given, or one derived from the session secret (HMAC with
 * a label), so that a deployment without its own setting still never signs links with a known key.
 */
export function partnerLinkSecretOf(given: string | undefined, sessionSecret: string): string {
  if (given !== undefined) {
    if (given.length < 32) throw new Error('partnerLinkSecret must be at least 32 characters');
    return given;
  }
  return createHmac('sha256', sessionSecret).update('parcours:partner-link-key').digest('base64url');
}
