import { createLogger } from '@parcours/observability';
import type { EmbeddedEnv } from './env.ts';
import { parseEmbeddedEnv } from './env.ts';
import { launchParcours, type RunningParcours } from './launch.ts';

const logger = createLogger({ name: 'parcours' });

/** Printed once the desk answers: the demo's accounts are read then (the demo module is not needed to start). */
async function banner(env: EmbeddedEnv, running: RunningParcours): Promise<string> {
  const { demoLogins, demoPassword } = await import('@parcours/demo-territory');
  const width = Math.max(...demoLogins.map((login) => login.email.length));
  return [
    '',
    `Parcours est démarré : ${running.url}`,
    `  base de données : ${running.backend === 'pglite' ? `PGlite embarqué (${env.PARCOURS_DATA_DIR})` : 'PostgreSQL'}` +
      ` · tâches : ${running.runner === 'bullmq' ? 'BullMQ/Redis' : 'dans ce processus'}`,
    `  courriels : ${env.SMTP_URL ? 'SMTP' : `capturés dans ${env.MAIL_CAPTURE_DIR ?? `${env.PARCOURS_DATA_DIR}/mail`}`}`,
    ...(running.seeded
      ? [
          '  première fois : un an d’historique de démonstration s’écrit derrière le bureau (environ une demi-minute) ;',
          '  les tableaux de pilotage se remplissent pendant ce temps, les courriels partent ensuite.',
        ]
      : []),
    '',
    `Comptes de démonstration (mot de passe : ${demoPassword}) :`,
    ...demoLogins.map((login) => `  ${login.email.padEnd(width)}  ${login.displayName}`),
    '',
    'Ctrl-C pour arrêter.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const env = parseEmbeddedEnv(process.env);
  let running: RunningParcours | null = null;
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down');
    // A signal during start-up is honoured once start-up is over (see below).
    if (!running) return;
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Handlers first: until a listener exists, the OS's default action for SIGINT kills the process outright.
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  running = await launchParcours(env, logger);
  if (signalled) {
    await running.stop();
    process.exit(0);
  }
  // The banner is for the person who typed `npm start`, so it goes to stdout as plain text.
  process.stdout.write(await banner(env, running));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'Parcours could not start');
  process.exitCode = 1;
});
