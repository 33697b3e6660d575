import { readFileSync } from 'node:fs';
import { referralPurposeNames } from '@parcours/vocabulary';
import Handlebars from 'handlebars';
import { z } from 'zod';

/**
 * What each template may say. Ids, dates, stage codes and a link to the app: never a name, an address or
 * a word of the person's request, so that a mail read over someone's shoulder (or leaked) tells nothing
 * about who is being helped.
 */
export const mailTemplateSchemas = {
  'case-assigned': z.object({ caseUrl: z.url(), assignedAt: z.date() }),
  'deadline-passed': z.object({ caseUrl: z.url(), stage: z.string().min(1), passedAt: z.date() }),
  'referral-reminder': z.object({ caseUrl: z.url(), remindedAt: z.date() }),
  /** To the sender's supervisors: the case, and the list of every referral past its deadline (« Pilotage »). */
  'referral-escalation': z.object({ caseUrl: z.url(), breachesUrl: z.url(), escalatedAt: z.date() }),
  'referral-answered': z.object({ caseUrl: z.url(), status: z.string().min(1), answeredAt: z.date() }),
  /** To a partner agent who chose one mail per referral. */
  'referral-received': z.object({ referralUrl: z.url(), sentAt: z.date() }),
  /**
   * To a partner agent who chose the digest: the referrals sent to the organisation in a half-day, each as a
   * purpose (a code of the vocabulary, shown in French), an instant and a link — nothing about the person.
   */
  'referral-digest': z.object({
    inboxUrl: z.url(),
    from: z.date(),
    to: z.date(),
    referrals: z
      .array(z.object({ referralUrl: z.url(), purpose: z.string().min(1), sentAt: z.date() }))
      .min(1)
      .max(500),
    /** Referrals beyond the ones listed (a very busy half-day): the inbox has them all. */
    more: z.number().int().min(0),
  }),
  /**
   * To a consent's recipients: no case link (they no longer reach it), their inbox instead; `inboxUrl` null
   * for an organisation's contact address (no account, so no link into the app).
   */
  'consent-withdrawn': z.object({ inboxUrl: z.url().nullable(), withdrawnAt: z.date() }),
} as const;

export type MailTemplateName = keyof typeof mailTemplateSchemas;
export type MailTemplateData<N extends MailTemplateName> = z.input<(typeof mailTemplateSchemas)[N]>;
export const mailTemplateNames = Object.keys(mailTemplateSchemas) as MailTemplateName[];

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const stageLabels: Record<string, string> = {
  reception: 'accueil',
  assessment: 'évaluation de la situation',
  orientation: 'orientation',
  follow_up: 'suivi par un partenaire',
  suspended: 'dossier suspendu',
};

const referralStatusLabels: Record<string, string> = {
  seen: 'orientation vue',
  underStudy: 'orientation à l’étude',
  accepted: 'orientation acceptée',
  appointmentSet: 'rendez-vous fixé',
  inProgress: 'accompagnement commencé',
  completed: 'accompagnement terminé',
  declined: 'orientation refusée',
  redirected: 'orientation réorientée vers une autre structure',
  noShow: 'personne absente au rendez-vous',
  abandoned: 'accompagnement abandonné',
};

const parisDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });

/** One handlebars instance for every mail, with the helpers and partials the templates share. */
function createHandlebars(): typeof Handlebars {
  const handlebars = Handlebars.create();
  // Agents read dates in Paris time, whatever the server's zone.
  handlebars.registerHelper('dateParis', (value: unknown) => {
    if (!(value instanceof Date)) throw new Error('dateParis expects a Date');
    return parisDateTime.format(value);
  });
  handlebars.registerHelper('stageLabel', (stage: unknown) => stageLabels[String(stage)] ?? String(stage));
  handlebars.registerHelper(
    'purposeLabel',
    (purpose: unknown) => (referralPurposeNames as Record<string, string>)[String(purpose)] ?? String(purpose),
  );
  handlebars.registerHelper('referralStatusLabel', (status: unknown) => referralStatusLabels[String(status)] ?? String(status));
  handlebars.registerPartial('footer-text', readTemplateFile('partials/footer.text.hbs'));
  handlebars.registerPartial('footer-html', readTemplateFile('partials/footer.html.hbs'));
  return handlebars;
}

function readTemplateFile(path: string): string {
  return readFileSync(new URL(`./templates/${path}`, import.meta.url), 'utf8');
}

export interface MailRenderer {
  render<N extends MailTemplateName>(name: N, data: MailTemplateData<N>): RenderedMail;
}

/**
 * Compiles every template once, in strict mode (a missing field is an error, not an empty string), and
 * fails at boot if a file is missing.
 */
export function createMailRenderer(): MailRenderer {
  const handlebars = createHandlebars();
  const compile = (path: string, escapeHtml: boolean) =>
    handlebars.compile(readTemplateFile(path), { strict: true, noEscape: !escapeHtml, knownHelpersOnly: false });
  const compiled = new Map(
    mailTemplateNames.map((name) => [
      name,
      {
        subject: compile(`${name}.subject.hbs`, false),
        html: compile(`${name}.html.hbs`, true),
        text: compile(`${name}.text.hbs`, false),
      },
    ]),
  );
  return {
    render(name, data) {
      const parsed = mailTemplateSchemas[name].parse(data);
      const templates = compiled.get(name);
      if (!templates) throw new Error(`no mail template ${name}`);
      return {
        // One line, whatever the template's layout: a header cannot carry a newline.
        subject: templates.subject(parsed).replace(/\s+/g, ' ').trim(),
        html: templates.html(parsed),
        text: templates.text(parsed),
      };
    },
  };
}
