/**
 * Named delays. Machines refer to them by name only; the engine turns a name into a due date from the
 * territory's settings (in working days, Europe/Paris), so a département changes a deadline without a new
 * machine version. The defaults follow the field's usual targets (DOMAIN.md: partner answer in a few
 * working days, reminder then escalation, expiry after about 30 days).
 */
export const defaultDelayWorkingDays = {
  /** From case opening to the start of the assessment. */
  receptionDue: 5,
  /** From the start of the assessment to orientation. */
  assessmentDue: 10,
  /** From orientation to a first referral sent. */
  orientationDue: 10,
  /** A suspended case (lost contact) closes itself after this. */
  lostContactClosure: 43,
  /** A partner who has not answered a referral gets a reminder… */
  referralReminder: 7,
  /** …then the sender's supervisor is told… */
  referralEscalation: 12,
  /** …then the referral expires and the case goes back to orientation. */
  referralExpiry: 22,
} as const;

export type DelayName = keyof typeof defaultDelayWorkingDays;
export const delayNames = Object.keys(defaultDelayWorkingDays) as DelayName[];

export function isDelayName(name: string): name is DelayName {
  return Object.hasOwn(defaultDelayWorkingDays, name);
}

const day = 24 * 60 * 60 * 1000;
/**
 * Nominal millisecond values for the machines' `delays`, so that a machine also runs in an in-memory
 * actor (tests, the diagram). The engine never uses them: it schedules from working days.
 */
export const nominalDelays = Object.fromEntries(
  Object.entries(defaultDelayWorkingDays).map(([name, workingDays]) => [name, Math.ceil((workingDays * 7) / 5) * day]),
) as Record<DelayName, number>;

/** `xstate.after.<delay>.<state id>` is how XState names a delayed event; the delay name is the third part. */
export function delayNameOfTimer(timerEventType: string): DelayName | null {
  const match = /^xstate\.after\.([^.]+)\./.exec(timerEventType);
  const name = match?.[1];
  return name !== undefined && isDelayName(name) ? name : null;
}
