export { type BassinDeVie, bassinsDeVieOf, type Commune, communeName, communesOf } from './communes.ts';
export { seedDemoHistory } from './demo-history.ts';
export {
  type DemoLogin,
  demoLogins,
  demoPassword,
  demoTerritoryId,
  type SeedResult,
  seedDemoTerritory,
} from './demo-territory.ts';
export { demoDirectory } from './hautes-alpes.directory.ts';
export { type SeededRandom, seededRandomOf } from './seeded-random.ts';
