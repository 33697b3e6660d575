import { describe, expect, it } from 'vitest';
import { createMailRenderer, mailTemplateNames } from './mail.templates.ts';

const caseUrl = 'https://parcours.example.test/dossiers/3f6c1a2e-8b4d-4c3e-9a1f-0d2e4b6a8c0e';
const inboxUrl = 'https://parcours.example.test/partenaire/orientations';
// 09:00 UTC on 9 March 2026 is 10:00 in Paris (winter time).
const at = new Date('2026-03-09T09:00:00Z');

describe('mail templates', () => {
  const renderer = createMailRenderer();

  it('when each template is rendered, then it has a French one-line subject, a text and an HTML body linking to the case', () => {
    const samples = {
      'case-assigned': renderer.render('case-assigned', { caseUrl, assignedAt: at }),
      'deadline-passed': renderer.render('deadline-passed', { caseUrl, stage: 'assessment', passedAt: at }),
      'referral-reminder': renderer.render('referral-reminder', { caseUrl, remindedAt: at }),
      'referral-escalation': renderer.render('referral-escalation', {
        caseUrl,
        breachesUrl: 'https://parcours.example.test/pilotage/depassements',
        escalatedAt: at,
      }),
      'referral-answered': renderer.render('referral-answered', { caseUrl, status: 'accepted', answeredAt: at }),
      'consent-withdrawn': renderer.render('consent-withdrawn', { inboxUrl, withdrawnAt: at }),
      'referral-received': renderer.render('referral-received', { referralUrl: caseUrl, sentAt: at }),
      'referral-digest': renderer.render('referral-digest', {
        inboxUrl,
        from: new Date('2026-03-09T07:00:00Z'),
        to: at,
        referrals: [{ referralUrl: caseUrl, purpose: 'rights_opening', sentAt: at }],
        more: 0,
      }),
    };
    expect(Object.keys(samples).sort()).toEqual([...mailTemplateNames].sort());
    for (const [name, mail] of Object.entries(samples)) {
      const url = name === 'consent-withdrawn' || name === 'referral-digest' ? inboxUrl : caseUrl;
      expect(mail.subject).toMatch(/^Parcours : \S/);
      expect(mail.subject).not.toMatch(/\n/);
      expect(mail.text).toContain(url);
      expect(mail.html).toContain(`href="${url}"`);
      expect(mail.text).toContain('9 mars 2026 à 10:00');
    }
    expect(samples['deadline-passed'].text).toContain('« évaluation de la situation »');
    expect(samples['case-assigned'].subject).toBe('Parcours : un dossier vous a été confié');
    expect(samples['deadline-passed'].subject).toBe('Parcours : une échéance est dépassée sur un dossier que vous suivez');
    expect(samples['referral-answered'].text).toContain('orientation acceptée');
    // The escalation leads the supervisor to the list of every referral past its deadline, too.
    expect(samples['referral-escalation'].html).toContain('href="https://parcours.example.test/pilotage/depassements"');
    expect(samples['referral-escalation'].text).toContain('https://parcours.example.test/pilotage/depassements');
  });

  it('when a digest lists more referrals than it shows, then it names the purposes in French and says how many more', () => {
    const mail = renderer.render('referral-digest', {
      inboxUrl,
      from: new Date('2026-03-09T07:00:00Z'),
      to: at,
      referrals: [{ referralUrl: caseUrl, purpose: 'professional_integration', sentAt: at }],
      more: 12,
    });
    expect(mail.text).toContain(`- Insertion professionnelle, envoyée le 9 mars 2026 à 10:00 : ${caseUrl}`);
    expect(mail.text).toContain('… et 12 autre(s)');
    expect(mail.html).toContain(`<a href="${caseUrl}">Insertion professionnelle</a>`);
    expect(mail.text).not.toContain('professional_integration');
  });

  it('when a consent-withdrawn mail goes to an organisation without accounts, then it says the same without any link', () => {
    const mail = renderer.render('consent-withdrawn', { inboxUrl: null, withdrawnAt: at });
    expect(mail.subject).toBe('Parcours : une autorisation de partage a pris fin');
    expect(mail.text).toContain('9 mars 2026 à 10:00');
    expect(mail.text).not.toContain('https://');
    expect(mail.html).not.toContain('href=');
  });

  it('when template data is missing or wrong, then rendering refuses rather than sending a hollow mail', () => {
    expect(() => renderer.render('case-assigned', { caseUrl } as never)).toThrow();
    expect(() => renderer.render('case-assigned', { caseUrl: 'not a url', assignedAt: at })).toThrow();
  });

  it('when a value holds markup, then the HTML body escapes it', () => {
    const mail = renderer.render('deadline-passed', { caseUrl, stage: '<script>', passedAt: at });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
  });
});
