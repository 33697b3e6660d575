export { type EmbeddedEnv, embeddedEnvSchema, parseEmbeddedEnv } from './env.ts';
export { launchParcours, type RunningParcours } from './launch.ts';
