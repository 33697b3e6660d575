import { describe, expect, it } from 'vitest';
import { runDeskFaults } from './desk-faults.ts';
import { runMailFaults } from './mail-faults.ts';

/**
 * The short fault run, in every `npm test`: a few hundred cases, each fault once (SMTP refusing, Redis flushed,
 * Redis killed and restarted empty, a worker killed mid-batch, PostgreSQL restarted), on services of its own.
 */
describe('faults survived', () => {
  it('when Redis, a worker, PostgreSQL and the SMTP server fail in turn, then every mail arrives once or is marked uncertain, and nothing is owed', async () => {
    const report = await runMailFaults({ cases: 300 });
    expect(report.faults).toHaveLength(5);
    // 300 assignments (more if a step cut by the PostgreSQL restart had committed); for each referral sent, a
    // mail to the partner; in the first territory a reminder and an escalation each.
    const race = report.expiryRace;
    expect(report.referralsSent).toBeGreaterThanOrEqual(150);
    expect(race.referrals).toBeGreaterThanOrEqual(75);
    const deadlineReferrals = report.referralsSent - race.referrals;
    expect(report.mailsExpected).toBeGreaterThanOrEqual(300 + report.referralsSent + 2 * deadlineReferrals);
    // In the second, every referral expired, by one expiry each, whatever fired before it.
    expect({ expired: race.expired, expiriesFired: race.expiriesFired }).toEqual({
      expired: race.referrals,
      expiriesFired: race.referrals,
    });
    expect({ timersFired: report.timersFired, twice: report.timersFiredTwice, owed: report.timersOwed }).toEqual({
      timersFired: 2 * deadlineReferrals + race.expiriesFired + race.remindersFired + race.escalationsFired,
      twice: 0,
      owed: 0,
    });
    // Nothing undelivered out of the admins' sight.
    expect({ notListed: report.undeliveredNotListed, failedListed: report.jobsFailedListed }).toEqual({
      notListed: 0,
      failedListed: report.jobsFailed,
    });
    expect({
      lost: report.lost,
      duplicated: report.duplicated,
      owed: report.owedOutboxRows,
      pending: report.pendingDeliveries,
    }).toEqual({
      lost: 0,
      duplicated: 0,
      owed: 0,
      pending: 0,
    });
    expect(report.mailsDelivered + report.uncertain - report.uncertainDelivered).toBe(report.mailsExpected);
  }, 300_000);

  it('when the desk is killed mid-request while clients send events with expectedRevision, then every acknowledged event is in the log, none twice', async () => {
    const report = await runDeskFaults({ cases: 80 });
    expect(report.eventsAcknowledged).toBeGreaterThan(0);
    expect(report.networkErrors).toBeGreaterThan(0);
    expect({ lost: report.lost, duplicated: report.duplicated }).toEqual({ lost: 0, duplicated: 0 });
    // Every case went through both steps, whichever request was acknowledged.
    expect(report.eventsAcknowledged).toBeLessThanOrEqual(160);
  }, 300_000);
});
