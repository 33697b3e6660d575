import { journeyMachine, referralMachine } from '@parcours/journey';
import { describe, expect, it } from 'vitest';
import { eventNameOf, readMachineGraph } from './machine-graph.ts';

describe('readMachineGraph', () => {
  it('when the journey is read, then a transition shared by every stage is drawn once from or to « Parcours actif »', () => {
    const { transitions } = readMachineGraph(journeyMachine);
    const suspend = transitions.filter((transition) => transition.event === 'SUSPEND');
    const resume = transitions.filter((transition) => transition.event === 'RESUME');
    expect(suspend.map(({ from, to }) => [from, to])).toEqual([['active', 'suspended']]);
    expect(resume.map(({ from, to }) => [from, to])).toEqual([['suspended', 'active']]);
    // Three of the five stages only: not lifted.
    expect(transitions.filter((transition) => transition.event === 'ENTER_CASE_MANAGEMENT')).toHaveLength(3);
  });

  it('when a delay has a target, then it is a delayed transition named by its delay; without one, a timer of its state', () => {
    const journey = readMachineGraph(journeyMachine);
    expect(journey.transitions).toContainEqual(
      expect.objectContaining({ from: 'suspended', to: 'closed', event: 'lostContactClosure', delayed: true }),
    );
    expect(journey.states.find((state) => state.path === 'active.reception')?.timers).toEqual(['receptionDue']);
    const referral = readMachineGraph(referralMachine);
    expect(referral.states.find((state) => state.path === 'awaitingAnswer')?.timers).toEqual([
      'referralReminder',
      'referralEscalation',
    ]);
    expect(referral.transitions).toContainEqual(
      expect.objectContaining({ from: 'awaitingAnswer', to: 'expired', event: 'referralExpiry', delayed: true }),
    );
  });

  it('when a transition only records something, then it is not drawn; a guarded branch keeps its guard name', () => {
    const { transitions } = readMachineGraph(journeyMachine);
    expect(transitions.some((transition) => transition.from === transition.to && transition.event === 'REFERRAL_SENT')).toBe(
      false,
    );
    expect(transitions).toContainEqual(
      expect.objectContaining({ from: 'active.followUp', to: 'active.orientation', guard: 'lastActiveReferralFailed' }),
    );
  });

  it('when read twice, then the graph is the same, with unique ids', () => {
    const first = readMachineGraph(referralMachine);
    expect(readMachineGraph(referralMachine)).toEqual(first);
    expect(new Set(first.transitions.map((transition) => transition.id)).size).toBe(first.transitions.length);
  });

  it('when a timer event type is named, then its delay name is read off it', () => {
    expect(eventNameOf('xstate.after.referralExpiry.referral.awaitingAnswer')).toBe('referralExpiry');
    expect(eventNameOf('SEND')).toBe('SEND');
  });
});
