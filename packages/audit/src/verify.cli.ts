import { derivedAuditDigestKey, openDatabase } from '@parcours/db';
import { z } from 'zod';
import { verifyAuditChain } from './verify-audit-chain.ts';

/**
 * Verifies the audit's hash chain against the rows:
 *   DATABASE_URL=postgres://… [AUDIT_DIGEST_KEY=… | SESSION_SECRET=…] npm run -w @parcours/audit verify [-- --expect-head <number>:<hash>] [--json]
 * Exit code 0 when the chain is intact, 1 on any finding, 2 on a usage error. The last line names the
 * head; record it outside the database and pass it back with --expect-head next time, so that a chain
 * cut short or rebuilt from scratch is detected too.
 */
const usage = 'usage: verify [--expect-head <seal number>:<hash>] [--json]\n';

const write = (text: string) => process.stdout.write(text);

const expectHeadSchema = z
  .string()
  .regex(/^[1-9][0-9]*:[0-9a-f]{64}$/)
  .transform((value) => {
    const [number, hash] = value.split(':');
    return { number: Number(number), hash: hash as string };
  });

async function main(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const headIndex = args.indexOf('--expect-head');
  const rest = args.filter(
    (arg, index) => arg !== '--json' && (headIndex < 0 || (index !== headIndex && index !== headIndex + 1)),
  );
  const expectHead = headIndex >= 0 ? expectHeadSchema.safeParse(args[headIndex + 1]) : null;
  if (rest.length > 0 || (expectHead && !expectHead.success)) {
    process.stderr.write(usage);
    return 2;
  }
  const databaseUrl = z.url({ protocol: /^postgres(ql)?$/ }).safeParse(process.env.DATABASE_URL);
  if (!databaseUrl.success) {
    process.stderr.write('DATABASE_URL must be set to the PostgreSQL database to verify.\n');
    return 2;
  }
  const database = await openDatabase({ url: databaseUrl.data, maxConnections: 1 });
  try {
    // The rows' digests are checked with the services' key: AUDIT_DIGEST_KEY, or the one derived from SESSION_SECRET.
    const digestKey =
      process.env.AUDIT_DIGEST_KEY ?? (process.env.SESSION_SECRET ? derivedAuditDigestKey(process.env.SESSION_SECRET) : null);
    if (!digestKey) process.stderr.write('No AUDIT_DIGEST_KEY nor SESSION_SECRET: the rows’ digests are not checked.\n');
    const result = await verifyAuditChain(database.db, {
      digestKey,
      ...(expectHead?.success ? { expectHead: expectHead.data } : {}),
    });
    if (json) {
      write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      for (const finding of result.findings) write(`${finding.kind}  ${finding.message}\n`);
      write(
        `${result.ok ? 'OK' : `FAILED: ${result.findings.length} finding(s)`} — ${result.seals} seal(s), ${result.sealedRows} sealed row(s), ${result.unsealedRows} not yet sealed${result.oldestUnsealedAt ? ` (oldest written ${result.oldestUnsealedAt}: older than the margin and the sealing interval means the sealer is behind, or the newest seals were removed)` : ''}\n`,
      );
      write(result.head ? `head ${result.head.number}:${result.head.hash}\n` : 'head: no seal yet\n');
    }
    return result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
