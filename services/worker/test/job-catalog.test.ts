import { outboxJobNames } from '@parcours/engine';
import { assertCatalogComplete, jobIdOf, jobNames, PoisonPayloadError, parsePayload, timerDeliveryJobId } from '@parcours/jobs';
import { describe, expect, it } from 'vitest';

const timerRowId = '3f6c1a2e-8b4d-4c3e-9a1f-0d2e4b6a8c0e';

describe('job catalog', () => {
  it('when the engine writes a job name, then the catalog has it', () => {
    expect(jobNames).toEqual(expect.arrayContaining(outboxJobNames()));
  });

  it('when a catalogued job has no handler, or an engine job is not catalogued, then the boot check refuses', () => {
    const everyHandler = [...jobNames];
    expect(() => assertCatalogComplete(everyHandler, outboxJobNames())).not.toThrow();
    expect(() =>
      assertCatalogComplete(
        everyHandler.filter((name) => name !== 'timer.deliver'),
        outboxJobNames(),
      ),
    ).toThrow(/without handler \[timer.deliver\]/);
    expect(() => assertCatalogComplete(everyHandler, [...outboxJobNames(), 'effect.sendFax'])).toThrow(
      /not catalogued \[effect.sendFax\]/,
    );
  });

  it('when a timer is re-armed, then its delivery gets a new job id; relayed rows keep their row id', () => {
    expect(timerDeliveryJobId({ timerRowId, armedRevision: 2 })).toBe(`timer:${timerRowId}:2`);
    expect(jobIdOf('timer.deliver', { timerRowId, armedRevision: 3 }, 'row')).toBe(`timer:${timerRowId}:3`);
    expect(jobIdOf('timer.armed', { timerRowId, armedRevision: 3, dueAt: '2026-03-09T09:00:00.000Z' }, 'row-id')).toBe('row-id');
  });

  it('when a payload is invalid, then it is poison, and the message names the fields but not their values', () => {
    const error = (() => {
      try {
        parsePayload('effect.notifyCaseAssigned', { caseId: 'Camille Martin', referralId: null, revision: 0, params: {} });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(PoisonPayloadError);
    expect((error as Error).message).toMatch(/caseId/);
    expect((error as Error).message).not.toMatch(/Camille|Martin/);
  });
});
