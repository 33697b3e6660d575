/**
 * `npm run generate -- --cases 1000000 [--years 3] [--seed 7]`: writes a realistic history for a region
 * into DATABASE_URL (PostgreSQL): persons, cases, referrals, assessments, contacts and their journey log,
 * with seasonality, partner answer delays and non-take-up — the rows the engine itself would write (states
 * and snapshots computed by the released machines), through COPY in one transaction per chunk of cases,
 * not through HTTP. Then folds supervision's read model from the log (the rebuild) and prints the timings.
 */
import { randomUUID } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rightCodes } from '@parcours/assessment';
import { openDatabase } from '@parcours/db';
import { seededRandomOf } from '@parcours/demo-territory';
import { applyTransition, type EventObject, startMachine, type TransitionOutcome } from '@parcours/journey';
import { rebuildSupervision } from '@parcours/supervision-store';
import { bundleCodes, declineReasons, type ReceptionChannel } from '@parcours/vocabulary';
import postgres from 'postgres';

export const regionTerritoryId = 'region-bench';

export interface RegionOptions {
  cases: number;
  years?: number;
  /** Cases per transaction (one COPY of each table). */
  chunk?: number;
  seed?: number;
  /** Fold supervision's read model after writing (the rebuild). */
  rebuild?: boolean;
  log?: (line: string) => void;
}

export interface RegionReport {
  cases: number;
  events: number;
  generatedSeconds: number;
  rebuiltSeconds: number | null;
}

/** The same region every run (the demo's seeded generator), re-seeded by each `generateRegion`. */
let rng = seededRandomOf(7);
const random = () => rng.next();
const int = (min: number, max: number) => rng.int(min, max);
const pick = <T>(list: readonly T[]): T => rng.pick(list);
const weighted = <T>(choices: readonly (readonly [T, number])[]): T => rng.weighted(choices);

const dayMs = 86_400_000;
const hourMs = 3_600_000;

// ——— Journeys as the released machines run them ———

type Subject = 'journey' | 'referral';
interface TemplateStep {
  subject: Subject;
  event: EventObject;
  /** Days after the previous step: [min, max]; the timers' own delays for timer events. */
  after: readonly [number, number];
  /** The engine's own journey event that follows this referral step in the same transaction. */
  echo?: EventObject;
}
interface ResolvedStep extends TemplateStep {
  fromState: string;
  toState: string;
  /** Snapshot and state after this step, of its subject. */
  outcome: TransitionOutcome;
}

const placeholderReferralId = '00000000-0000-4000-8000-000000000001';
const journeyTimer = (delay: string, state: string) => ({ type: `xstate.after.${delay}.journey.${state}` });
const referralTimer = (delay: string) => ({ type: `xstate.after.${delay}.referral.awaitingAnswer` });
const opening: TemplateStep[] = [
  { subject: 'journey', event: { type: 'START_ASSESSMENT' }, after: [0, 3] },
  { subject: 'journey', event: { type: 'COMPLETE_ASSESSMENT' }, after: [1, 25] },
  { subject: 'referral', event: { type: 'CREATE' }, after: [0, 30] },
  {
    subject: 'referral',
    event: { type: 'SEND' },
    after: [0, 0],
    echo: { type: 'REFERRAL_SENT', referralId: placeholderReferralId },
  },
];
const closed = (status: string, successful: boolean) => ({
  type: 'REFERRAL_CLOSED',
  referralId: placeholderReferralId,
  status,
  successful,
  ...(successful ? { outcome: 'rights_opened' } : {}),
});
const templates: { name: string; weight: number; steps: TemplateStep[] }[] = [
  {
    name: 'information',
    weight: 10,
    steps: [{ subject: 'journey', event: { type: 'CLOSE', reason: 'information_given' }, after: [0, 2] }],
  },
  {
    name: 'lost-contact',
    weight: 7,
    steps: [
      ...opening.slice(0, 2),
      { subject: 'journey', event: { type: 'SUSPEND', reason: 'lost_contact' }, after: [3, 20] },
      { subject: 'journey', event: journeyTimer('lostContactClosure', 'suspended'), after: [60, 62] },
    ],
  },
  {
    name: 'completed',
    weight: 52,
    steps: [
      ...opening,
      { subject: 'referral', event: { type: 'MARK_SEEN' }, after: [0, 3] },
      { subject: 'referral', event: { type: 'ACCEPT' }, after: [0, 15] },
      { subject: 'referral', event: { type: 'SET_APPOINTMENT', at: '', mode: 'in_person' }, after: [0, 2] },
      { subject: 'referral', event: { type: 'START_SUPPORT' }, after: [3, 40] },
      {
        subject: 'referral',
        event: { type: 'COMPLETE', outcome: 'rights_opened' },
        after: [10, 60],
        echo: closed('completed', true),
      },
      { subject: 'journey', event: { type: 'CLOSE', reason: 'needs_met' }, after: [1, 10] },
    ],
  },
  {
    name: 'no-show',
    weight: 9,
    steps: [
      ...opening,
      { subject: 'referral', event: { type: 'ACCEPT' }, after: [0, 15] },
      { subject: 'referral', event: { type: 'SET_APPOINTMENT', at: '', mode: 'phone' }, after: [0, 2] },
      { subject: 'referral', event: { type: 'REPORT_NO_SHOW' }, after: [3, 40], echo: closed('noShow', false) },
      { subject: 'journey', event: { type: 'CLOSE', reason: 'person_withdrew' }, after: [3, 20] },
    ],
  },
  {
    name: 'declined',
    weight: 13,
    steps: [
      ...opening,
      {
        subject: 'referral',
        event: { type: 'DECLINE', reason: 'service_full' },
        after: [1, 20],
        echo: closed('declined', false),
      },
      { subject: 'journey', event: { type: 'CLOSE', reason: 'handled_elsewhere' }, after: [3, 20] },
    ],
  },
  {
    name: 'expired',
    weight: 9,
    steps: [
      ...opening,
      { subject: 'referral', event: referralTimer('referralReminder'), after: [9, 9] },
      { subject: 'referral', event: referralTimer('referralEscalation'), after: [7, 7] },
      { subject: 'referral', event: referralTimer('referralExpiry'), after: [14, 14], echo: closed('expired', false) },
      { subject: 'journey', event: { type: 'CLOSE', reason: 'handled_elsewhere' }, after: [3, 20] },
    ],
  },
];

/** Runs a template through the machines once: the states and snapshots every case on it gets. */
function resolveTemplate(steps: TemplateStep[]): {
  open: TransitionOutcome;
  steps: ResolvedStep[];
  echoes: (TransitionOutcome | null)[];
} {
  const open = startMachine('journey');
  let journey = open;
  let referral: TransitionOutcome | null = null;
  const resolved: ResolvedStep[] = [];
  const echoes: (TransitionOutcome | null)[] = [];
  for (const step of steps) {
    const sample = step.event.type === 'SET_APPOINTMENT' ? { ...step.event, at: '2026-01-05T09:00:00+01:00' } : step.event;
    if (step.subject === 'journey') {
      const next = applyTransition('journey', 1, JSON.parse(JSON.stringify(journey.snapshot)), sample);
      if (!next) throw new Error(`template refused ${step.event.type} at ${journey.statePath}`);
      resolved.push({ ...step, fromState: journey.statePath, toState: next.statePath, outcome: next });
      journey = next;
      echoes.push(null);
      continue;
    }
    if (step.event.type === 'CREATE') {
      referral = startMachine('referral');
      resolved.push({ ...step, fromState: '', toState: referral.statePath, outcome: referral });
      echoes.push(null);
      continue;
    }
    if (!referral) throw new Error('a referral step before its creation');
    const next = applyTransition('referral', 1, JSON.parse(JSON.stringify(referral.snapshot)), sample);
    if (!next) throw new Error(`template refused ${step.event.type} at ${referral.statePath}`);
    resolved.push({ ...step, fromState: referral.statePath, toState: next.statePath, outcome: next });
    referral = next;
    if (step.echo) {
      const echoed = applyTransition('journey', 1, JSON.parse(JSON.stringify(journey.snapshot)), step.echo);
      if (echoed) journey = echoed;
      echoes.push(echoed ? { ...echoed, statePath: echoed.statePath } : null);
    } else echoes.push(null);
  }
  return { open, steps: resolved, echoes };
}
const resolvedTemplates = templates.map((template) => ({ ...template, ...resolveTemplate(template.steps) }));

// ——— The region ———

const channels: (readonly [ReceptionChannel, number])[] = [
  ['physical', 60],
  ['phone', 25],
  ['email', 8],
  ['itinerant', 4],
  ['visio', 3],
];
const monthWeight = [1.2, 1.1, 1.1, 1, 1, 0.9, 0.7, 0.5, 1.2, 1.3, 1.2, 1];
const communes = Array.from(
  { length: 120 },
  () => `${pick(['04', '05', '06', '13', '83', '84'])}${String(int(1, 200)).padStart(3, '0')}`,
);
/** Copy text format: tab-separated, \N for null, backslash escapes. */
const field = (value: unknown): string => {
  if (value === null || value === undefined) return '\\N';
  const text =
    typeof value === 'string'
      ? value
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
};
const line = (values: unknown[]) => `${values.map(field).join('\t')}\n`;

async function copyInto(tx: postgres.TransactionSql, table: string, columns: string[], rows: string[]): Promise<void> {
  if (rows.length === 0) return;
  const writable: Writable = await tx.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  await pipeline(Readable.from(rows), writable);
}

/** Writes the region into the (migrated or not) database at `url`. */
export async function generateRegion(url: string, options: RegionOptions): Promise<RegionReport> {
  const caseCount = options.cases;
  const years = options.years ?? 3;
  const chunkSize = options.chunk ?? 5_000;
  const log = options.log ?? ((text: string) => process.stdout.write(`${text}\n`));
  rng = seededRandomOf(options.seed ?? 7);
  const started = Date.now();
  const handle = await openDatabase({ url, maxConnections: 2 });
  await handle.migrate();
  await handle.close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const now = Date.now();
  const since = now - years * 365 * dayMs;

  // Organisations: 40 entry points, 25 partners, one agent each (contacts name their agent).
  await sql`insert into territories (id, name, departement_code, communes, settings)
            values (${regionTerritoryId}, 'Région de démonstration (banc d’essai)', '13', ${communes}, '{}'::jsonb)
            on conflict (id) do nothing`;
  const kinds = ['france_services', 'ccas', 'departement_social_service', 'association'];
  const partnerKinds = ['caf', 'cpam', 'france_travail', 'mission_locale', 'msa', 'dac', 'association'];
  const entries: { id: string; agentId: string }[] = [];
  const partners: { id: string; pace: number }[] = [];
  for (let index = 0; index < 40; index += 1) {
    const [row] =
      await sql`insert into organisations (territory_id, name, kind) values (${regionTerritoryId}, ${`Accueil ${index + 1}`}, ${pick(kinds)}) returning id`;
    const [agent] =
      await sql`insert into agents (email, display_name) values (${`bench-${randomUUID()}@example.test`}, 'Agent banc') returning id`;
    await sql`insert into memberships (agent_id, organisation_id, roles) values (${agent?.id}, ${row?.id}, ${['reception', 'referent']})`;
    entries.push({ id: row?.id as string, agentId: agent?.id as string });
  }
  for (let index = 0; index < 25; index += 1) {
    const [row] =
      await sql`insert into organisations (territory_id, name, kind) values (${regionTerritoryId}, ${`Partenaire ${index + 1}`}, ${pick(partnerKinds)}) returning id`;
    partners.push({ id: row?.id as string, pace: int(1, 12) });
  }

  let written = 0;
  let events = 0;
  while (written < caseCount) {
    const size = Math.min(chunkSize, caseCount - written);
    const rows = {
      persons: [] as string[],
      identities: [] as string[],
      cases: [] as string[],
      members: [] as string[],
      referrals: [] as string[],
      events: [] as string[],
      assessments: [] as string[],
      contacts: [] as string[],
    };
    for (let index = 0; index < size; index += 1) {
      let opensAt = 0;
      for (;;) {
        opensAt = since + Math.floor(random() * (now - since - 2 * dayMs));
        if (random() * 1.3 < (monthWeight[new Date(opensAt).getUTCMonth()] ?? 1)) break;
      }
      opensAt = opensAt - (opensAt % dayMs) + int(7, 16) * hourMs;
      const entry = pick(entries);
      const partner = pick(partners);
      const channel = weighted(channels);
      const commune = pick(communes);
      const template = weighted(resolvedTemplates.map((candidate) => [candidate, candidate.weight] as const));
      const personId = randomUUID();
      const caseId = randomUUID();
      const referralId = randomUUID();
      rows.persons.push(line([personId, entry.id, new Date(opensAt), new Date(opensAt)]));
      rows.identities.push(line([personId, 'Personne', 'Banc', 'personne banc', commune, new Date(opensAt)]));
      rows.members.push(line([caseId, personId, 'primary', new Date(opensAt)]));
      // The opening, then each step at its time, cut short for recent cases (still in progress).
      const caseEvents: unknown[][] = [];
      let caseRevision = 0;
      let referralRevision = -1;
      caseEvents.push([
        caseId,
        null,
        0,
        'OPEN',
        { channel, referentOrganisationId: entry.id },
        'agent',
        entry.agentId,
        entry.id,
        '',
        template.open.statePath,
        1,
        new Date(opensAt),
      ]);
      let at = opensAt;
      let journey = template.open;
      let referral: TransitionOutcome | null = null;
      let appointment: number | null = null;
      let assessed: number | null = null;
      let referralCreatedAt = 0;
      for (const [position, step] of template.steps.entries()) {
        const days = step.event.type.startsWith('xstate.after.')
          ? step.after[0]
          : int(
              step.after[0],
              Math.round(
                step.after[1] *
                  (step.subject === 'referral' && ['ACCEPT', 'DECLINE'].includes(step.event.type) ? partner.pace / 6 : 1),
              ),
            );
        const next = at + days * dayMs + int(0, 4) * hourMs;
        if (next > now) break;
        at = next;
        const actorOrganisationId = step.event.type.startsWith('xstate.after.')
          ? null
          : step.subject === 'referral' && !['CREATE', 'SEND'].includes(step.event.type)
            ? partner.id
            : entry.id;
        const actor =
          actorOrganisationId === null ? ['system', null] : ['agent', actorOrganisationId === entry.id ? entry.agentId : null];
        let payload: Record<string, unknown> = { ...step.event };
        delete payload.type;
        if (step.event.type === 'SET_APPOINTMENT') {
          appointment = at + int(3, 40) * dayMs;
          payload = { ...payload, at: new Date(appointment).toISOString() };
        }
        if (step.event.type === 'DECLINE') payload = { reason: pick(Object.keys(declineReasons)) };
        if (step.subject === 'journey') {
          caseRevision += 1;
          caseEvents.push([
            caseId,
            null,
            caseRevision,
            step.event.type,
            payload,
            actor[0],
            actor[1],
            actorOrganisationId,
            step.fromState,
            step.toState,
            1,
            new Date(at),
          ]);
          journey = step.outcome;
          if (step.event.type === 'COMPLETE_ASSESSMENT') assessed = at;
        } else {
          referralRevision += 1;
          if (step.event.type === 'CREATE') referralCreatedAt = at;
          caseEvents.push([
            caseId,
            referralId,
            referralRevision,
            step.event.type,
            payload,
            actor[0],
            actor[1],
            actorOrganisationId,
            step.fromState,
            step.toState,
            1,
            new Date(at),
          ]);
          referral = step.outcome;
          const echo = template.echoes[position];
          if (echo && step.echo) {
            caseRevision += 1;
            caseEvents.push([
              caseId,
              null,
              caseRevision,
              step.echo.type,
              { ...step.echo, type: undefined, referralId },
              'system',
              null,
              null,
              journey.statePath,
              echo.statePath,
              1,
              new Date(at),
            ]);
            journey = echo;
          }
        }
      }
      for (const event of caseEvents) rows.events.push(line(event));
      events += caseEvents.length;
      const isClosed = journey.status === 'closed';
      rows.cases.push(
        line([
          caseId,
          regionTerritoryId,
          entry.id,
          channel,
          'Demande générée pour le banc d’essai.',
          entry.id,
          null,
          'journey',
          1,
          journey.snapshot,
          JSON.stringify(journey.stateValue),
          journey.status,
          isClosed ? new Date(at) : null,
          isClosed ? ((journey.context.closureReason as string | null) ?? null) : null,
          caseRevision,
          entry.agentId,
          new Date(opensAt),
          new Date(at),
        ]),
      );
      if (referral) {
        rows.referrals.push(
          line([
            referralId,
            caseId,
            entry.id,
            partner.id,
            null,
            'rights_opening',
            '{identity}',
            'referral',
            1,
            referral.snapshot,
            JSON.stringify(referral.stateValue),
            referral.status,
            referral.done ? new Date(at) : null,
            referralRevision,
            new Date(referralCreatedAt),
            new Date(at),
          ]),
        );
      }
      if (assessed !== null) {
        const rights = [...new Set([pick(rightCodes), pick(rightCodes)])].map((right) => {
          const status = weighted([
            ['requested', 2],
            ['opened', 4],
            ['refused', 1],
            ['not_requested', 2],
            ['identified', 1],
          ] as const);
          return {
            right,
            status,
            ...(status === 'refused' || status === 'not_requested'
              ? {
                  nonTakeUpReason: weighted([
                    ['non_knowledge', 4],
                    ['non_request', 3],
                    ['non_reception', 2],
                    ['non_proposal', 1],
                  ] as const),
                }
              : {}),
          };
        });
        rows.assessments.push(
          line([
            caseId,
            'multidimensional',
            1,
            'completed',
            { needs: {} },
            rights,
            '{assessment}',
            entry.agentId,
            entry.id,
            new Date(assessed),
            entry.agentId,
            new Date(assessed),
            new Date(assessed),
          ]),
        );
      }
      // First-level contacts: one before half the cases, and about two that never became one.
      if (random() < 0.5)
        rows.contacts.push(
          line([
            regionTerritoryId,
            entry.id,
            entry.agentId,
            channel,
            pick(bundleCodes),
            'case_opened',
            personId,
            caseId,
            new Date(opensAt - int(0, 5) * dayMs),
            new Date(opensAt),
          ]),
        );
      for (let quick = int(0, 4); quick > 0; quick -= 1) {
        const contactAt = new Date(opensAt - int(0, 30) * dayMs);
        rows.contacts.push(
          line([
            regionTerritoryId,
            entry.id,
            entry.agentId,
            weighted(channels),
            pick(bundleCodes),
            'answered',
            null,
            null,
            contactAt,
            contactAt,
          ]),
        );
      }
      if (appointment === null) continue;
    }
    if (process.env.GENERATE_DUMP) for (const [table, list] of Object.entries(rows)) log(`${table}: ${JSON.stringify(list[0])}`);
    await sql.begin(async (tx) => {
      await copyInto(tx, 'persons', ['id', 'created_by_organisation_id', 'last_contact_at', 'created_at'], rows.persons);
      await copyInto(
        tx,
        'person_identities',
        ['person_id', 'family_name', 'given_names', 'search_key', 'commune_insee', 'updated_at'],
        rows.identities,
      );
      await copyInto(
        tx,
        'cases',
        [
          'id',
          'territory_id',
          'entry_organisation_id',
          'channel',
          'expressed_request',
          'referent_organisation_id',
          'referent_agent_id',
          'machine_id',
          'machine_version',
          'snapshot',
          'state_value',
          'stage',
          'closed_at',
          'closure_reason',
          'revision',
          'opened_by_agent_id',
          'created_at',
          'updated_at',
        ],
        rows.cases,
      );
      await copyInto(tx, 'case_members', ['case_id', 'person_id', 'role', 'created_at'], rows.members);
      await copyInto(
        tx,
        'referrals',
        [
          'id',
          'case_id',
          'from_organisation_id',
          'to_organisation_id',
          'to_service_id',
          'purpose',
          'shared_categories',
          'machine_id',
          'machine_version',
          'snapshot',
          'state_value',
          'status',
          'closed_at',
          'revision',
          'created_at',
          'updated_at',
        ],
        rows.referrals,
      );
      await copyInto(
        tx,
        'case_events',
        [
          'case_id',
          'referral_id',
          'revision',
          'event_type',
          'payload',
          'actor_kind',
          'actor_id',
          'actor_organisation_id',
          'from_state',
          'to_state',
          'machine_version',
          'at',
        ],
        rows.events,
      );
      await copyInto(
        tx,
        'assessments',
        [
          'case_id',
          'form_id',
          'form_version',
          'status',
          'answers',
          'potential_rights',
          'data_categories',
          'created_by_agent_id',
          'created_by_organisation_id',
          'completed_at',
          'completed_by_agent_id',
          'created_at',
          'updated_at',
        ],
        rows.assessments,
      );
      await copyInto(
        tx,
        'contacts',
        [
          'territory_id',
          'organisation_id',
          'agent_id',
          'channel',
          'topic',
          'outcome',
          'person_id',
          'case_id',
          'at',
          'created_at',
        ],
        rows.contacts,
      );
    });
    written += size;
    if (written % (chunkSize * 20) === 0 || written === caseCount) {
      log(`${written} cases, ${events} events, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
  await sql.end();
  const generatedIn = Date.now() - started;
  let rebuiltIn: number | null = null;
  if (options.rebuild !== false) {
    const rebuild = await openDatabase({ url, maxConnections: 1 });
    const rebuildStarted = Date.now();
    await rebuildSupervision(rebuild.db, { batchSize: 20_000 });
    rebuiltIn = Date.now() - rebuildStarted;
    await rebuild.close();
  }
  return {
    cases: caseCount,
    events,
    generatedSeconds: Math.round(generatedIn / 1000),
    rebuiltSeconds: rebuiltIn === null ? null : Math.round(rebuiltIn / 1000),
  };
}

// `npm run generate -- --cases N`: into DATABASE_URL, or a database `parcours_region` created on the local server.
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const args = new Map<string, string>();
  for (let index = 2; index < process.argv.length; index += 2) {
    args.set(process.argv[index]?.replace(/^--/, '') ?? '', process.argv[index + 1] ?? '');
  }
  let url = process.env.DATABASE_URL;
  if (!url) {
    const admin = postgres('postgres://postgres@127.0.0.1:5432/postgres', { max: 1, onnotice: () => {} });
    const [exists] = await admin`select 1 from pg_database where datname = 'parcours_region'`;
    if (!exists) await admin.unsafe('create database parcours_region');
    await admin.end();
    url = 'postgres://postgres@127.0.0.1:5432/parcours_region';
  }
  const report = await generateRegion(url, {
    cases: Number(args.get('cases') ?? 10_000),
    years: Number(args.get('years') ?? 3),
    chunk: Number(args.get('chunk') ?? 5_000),
    seed: Number(args.get('seed') ?? 7),
    rebuild: args.get('rebuild') !== 'no',
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
