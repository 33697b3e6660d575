/**
 * Orientation suggestions on a 10,000-service directory: latency p50/p95/p99 over 2,000 assessments
 * (target p95 < 20 ms). Run: npx tsx test/bench/orientation.bench.ts — writes bench/results/orientation.json.
 * Deterministic inputs (seeded generator), so runs differ only by the machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needLevels, urgencies } from '@parcours/assessment';
import { bassinsDeVieOf, communesOf, demoDirectory } from '@parcours/demo-territory';
import { buildDirectoryIndex, type DirectoryService, permanenceModes, weekdays } from '@parcours/directory';
import { type OrientationNeed, orientationRulesV1, suggestServices } from '@parcours/orientation';
import { bundleCodes } from '@parcours/vocabulary';

const serviceCount = 10_000;
const samples = 2_000;
const warmUp = 200;
const targetP95Ms = 20;

/** mulberry32: a small seeded generator, so every run benchmarks the same directory and assessments. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = seededRandom(20260302);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const pickSome = <T>(items: readonly T[], count: number): T[] => [...new Set(Array.from({ length: count }, () => pick(items)))];

const communes = communesOf('05');
const bassins = bassinsDeVieOf('05');
const communeCodes = communes.map((commune) => commune.code);
const template = demoDirectory[0] as DirectoryService;

function generateService(position: number): DirectoryService {
  const roll = random();
  const bassin = pick(bassins);
  // Like the real offer: most services cover a bassin de vie, some the whole département, some a few communes.
  const communesServed =
    roll < 0.6 ? bassin.communes : roll < 0.75 ? communeCodes : pickSome(communeCodes, 1 + Math.floor(random() * 6));
  const presence = pickSome(communesServed, Math.floor(random() * 4));
  return {
    ...template,
    id: `svc-${String(position).padStart(5, '0')}`,
    name: `Service ${position}`,
    bundles: pickSome(bundleCodes, 1 + Math.floor(random() * 3)),
    communesServed,
    locations: [],
    permanences: presence.map((communeCode) => ({
      mode: pick(permanenceModes),
      communeCode,
      place: 'Mairie',
      weekday: pick(weekdays),
      opens: '09:00',
      closes: '12:00',
      frequency: 'weekly' as const,
    })),
    waitingTimeDays: random() < 0.1 ? null : Math.floor(random() * 120),
    acceptsReferrals: random() < 0.6,
  };
}

const domains = Object.keys(orientationRulesV1.domains);
function generateAssessment(): { needs: OrientationNeed[]; communeCode: string } {
  const needs = pickSome(domains, 1 + Math.floor(random() * 6)).map((domain) => ({
    domain,
    level: pick(needLevels),
    urgency: pick(urgencies),
  }));
  return { needs, communeCode: pick(communeCodes) };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
const round = (value: number) => Math.round(value * 1000) / 1000;

const services = Array.from({ length: serviceCount }, (_, position) => generateService(position));
const buildStart = performance.now();
const index = buildDirectoryIndex(services, { communes, bassinsDeVie: bassins });
const indexBuildMs = performance.now() - buildStart;
const assessments = Array.from({ length: warmUp + samples }, generateAssessment);

let suggestionsReturned = 0;
const durations: number[] = [];
assessments.forEach((assessment, position) => {
  const start = performance.now();
  const suggestions = suggestServices(index, assessment);
  const elapsed = performance.now() - start;
  if (position >= warmUp) {
    durations.push(elapsed);
    suggestionsReturned += suggestions.length;
  }
});
durations.sort((a, b) => a - b);

const result = {
  services: serviceCount,
  samples,
  p50Ms: round(percentile(durations, 50)),
  p95Ms: round(percentile(durations, 95)),
  p99Ms: round(percentile(durations, 99)),
  maxMs: round(durations[durations.length - 1] ?? 0),
  targetP95Ms,
  indexBuildMs: round(indexBuildMs),
  meanSuggestions: round(suggestionsReturned / samples),
  rules: `${orientationRulesV1.id}@${orientationRulesV1.version}`,
  node: process.version,
};

const output = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results', 'orientation.json');
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result)}\n`);
if (result.p95Ms >= targetP95Ms) {
  process.stdout.write(`p95 ${result.p95Ms} ms is over the ${targetP95Ms} ms target\n`);
  process.exitCode = 1;
}
