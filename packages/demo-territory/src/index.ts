export { bassinsDeVieOf, communeName, communesOf, type BassinDeVie, type Commune } from './communes.ts';
export { demoLogins, demoPassword, demoTerritoryId, seedDemoTerritory, type DemoLogin, type SeedResult } from './demo-territory.ts';
