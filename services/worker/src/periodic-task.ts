import type { Logger } from '@parcours/observability';

export interface PeriodicTask {
  /** Runs the task now, then again `intervalMs` after each run ends (runs never overlap). */
  start(): void;
  /** Stops scheduling and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * `task` answers true when it should run again at once (a full batch: more is waiting).
 */
export function createPeriodicTask(name: string, intervalMs: number, task: () => Promise<boolean>, logger: Logger): PeriodicTask {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;

  const runOnce = async () => {
    let again = false;
    try {
      again = await task();
    } catch (error) {
      logger.error({ task: name, err: error }, 'periodic task failed');
    }
    running = null;
    if (!stopped) timer = setTimeout(tick, again ? 0 : intervalMs);
  };
  const tick = () => {
    timer = null;
    running = runOnce();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
