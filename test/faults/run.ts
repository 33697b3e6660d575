/**
 * `npm run faults [-- --cases N]`: the fault-injection run (test/faults/mail-faults.ts) on services of its own,
 * with N cases (default 2,000), its figures written to bench/results/faults.json. Needs initdb/pg_ctl
 * (PostgreSQL 15) and redis-server on the machine; never touches the shared servers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { runDeskFaults } from './desk-faults.ts';
import { repositoryRoot } from './fault-services.ts';
import { runMailFaults } from './mail-faults.ts';

const casesArgument = process.argv.indexOf('--cases');
const cases = casesArgument >= 0 ? Number(process.argv[casesArgument + 1]) : 2_000;
if (!Number.isInteger(cases) || cases < 10) {
  process.stderr.write('usage: faults [--cases N] (N ≥ 10)\n');
  process.exit(2);
}
const log = (line: string) => process.stdout.write(`${line}\n`);
const mail = await runMailFaults({ cases, log });
const desk = await runDeskFaults({ cases: Math.max(50, Math.round(cases / 4)), log });
const report = { mail, desk };
const results = join(repositoryRoot, 'bench', 'results');
mkdirSync(results, { recursive: true });
writeFileSync(
  join(results, 'faults.json'),
  `${JSON.stringify({ ...report, measuredAt: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, targets: { lost: 0, duplicated: 0, recoverySeconds: 30 } }, null, 2)}\n`,
);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exitCode =
  mail.lost === 0 && mail.duplicated === 0 && mail.owedOutboxRows === 0 && desk.lost === 0 && desk.duplicated === 0 ? 0 : 1;
