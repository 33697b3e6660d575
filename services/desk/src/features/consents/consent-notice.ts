import { type NoticeScope, type RenderedNotice, renderConsentNotice } from '@parcours/consent';
import { type Executor, organisations } from '@parcours/db';
import type { DataCategory, ReferralPurpose } from '@parcours/vocabulary';
import { inArray } from 'drizzle-orm';
import { AppError } from '../../http/app-error.ts';

/**
 * The notice for one scope, with the recipients' names read from the directory of organisations. An
 * unknown organisation is a 400: the person cannot be told about a recipient that does not exist.
 */
export interface NoticeRequest {
  recipientOrganisationIds: readonly string[];
  purposes: readonly ReferralPurpose[];
  categories: readonly DataCategory[];
}

export async function consentNoticeFor(
  tx: Executor,
  scope: NoticeRequest,
  field = 'recipientOrganisationIds',
): Promise<{ notice: RenderedNotice; recipients: NoticeScope['recipients'] }> {
  const ids = [...new Set(scope.recipientOrganisationIds)];
  const recipients =
    ids.length === 0
      ? []
      : await tx
          .select({ id: organisations.id, name: organisations.name })
          .from(organisations)
          .where(inArray(organisations.id, ids));
  if (recipients.length !== ids.length) {
    throw new AppError('validation_failed', 'Une structure destinataire est inconnue.', {
      errors: [{ field, message: 'Structure inconnue' }],
    });
  }
  const notice = renderConsentNotice({ recipients, purposes: scope.purposes, categories: scope.categories });
  return { notice, recipients: [...recipients].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * The printable notice: the exact text (line for line, so what is printed is what is hashed), and a
 * place for the person's signature when the method is signed paper. No name is printed by the server.
 */
export function printableNotice(notice: RenderedNotice): string {
  const [title = '', ...lines] = notice.text.split('\n');
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${lines.map((line) => (line === '' ? '' : `<p>${escapeHtml(line)}</p>`)).join('\n')}
<p>Version ${notice.version} — empreinte SHA-256 : <code>${notice.sha256}</code></p>
<p>Nom, prénom, date et signature de la personne ou de son représentant légal :</p>
<p>&nbsp;</p><p>&nbsp;</p>
</main>
</body>
</html>
`;
}
