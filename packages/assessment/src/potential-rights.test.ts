import { nonTakeUpReasons, organisationKinds } from '@parcours/vocabulary';
import { describe, expect, it } from 'vitest';
import { followUpRight, isRightFollowUpOver, PotentialRight, rightCodes, rightsCatalogue } from './potential-rights.ts';

const at = new Date('2026-03-02T09:00:00Z');

describe('potential rights catalogue', () => {
  it('when the catalogue is read, then it lists the rights the guichet intégré follows', () => {
    expect(rightCodes).toEqual(
      expect.arrayContaining([
        'rsa',
        'prime_activite',
        'apl',
        'als',
        'aah',
        'apa',
        'css',
        'aspa',
        'pch',
        'cheque_energie',
        'ars',
        'bourse_scolaire',
      ]),
    );
  });

  it('when a right is read, then it has a short French label and an organisation kind of the platform that instructs it', () => {
    for (const code of rightCodes) {
      const right = rightsCatalogue[code];
      expect(right.label.length, code).toBeGreaterThan(1);
      expect(organisationKinds, code).toContain(right.instructedBy.kind);
      expect(right.instructedBy.body.length, code).toBeGreaterThan(2);
    }
  });
});

describe('potential right follow-up', () => {
  const identified: PotentialRight = { right: 'rsa', status: 'identified' };

  it('when an identified right is requested then opened, then its follow-up is over', () => {
    const requested = followUpRight(identified, { status: 'requested' }, at);
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    const opened = followUpRight(requested.right, { status: 'opened' }, at);
    expect(opened).toEqual({ ok: true, right: { right: 'rsa', status: 'opened', updatedAt: at.toISOString() } });
    if (opened.ok) expect(isRightFollowUpOver(opened.right)).toBe(true);
  });

  it('when a right is not requested without a non-take-up reason, then the follow-up refuses it in French', () => {
    const result = followUpRight(identified, { status: 'not_requested' }, at);
    expect(result).toEqual({ ok: false, message: 'motif de non-recours obligatoire quand le droit est refusé ou non demandé' });
  });

  it.each(Object.keys(nonTakeUpReasons))('when a right is refused with the reason %s, then the reason is kept', (reason) => {
    const result = followUpRight(identified, { status: 'refused', nonTakeUpReason: reason as keyof typeof nonTakeUpReasons }, at);
    expect(result.ok && result.right.nonTakeUpReason).toBe(reason);
  });

  it('when an opened right carries a non-take-up reason, then the schema rejects it', () => {
    expect(PotentialRight.safeParse({ right: 'apl', status: 'opened', nonTakeUpReason: 'non_request' }).success).toBe(false);
  });

  it('when a right has an outcome, then its follow-up cannot move again', () => {
    const result = followUpRight({ right: 'css', status: 'opened' }, { status: 'refused', nonTakeUpReason: 'non_reception' }, at);
    expect(result.ok).toBe(false);
  });

  it('when a requested right is said not requested, then the follow-up refuses the move', () => {
    const result = followUpRight(
      { right: 'apa', status: 'requested' },
      { status: 'not_requested', nonTakeUpReason: 'non_request' },
      at,
    );
    expect(result.ok).toBe(false);
  });
});
