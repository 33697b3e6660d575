import { type Database, withActor } from '@parcours/db';
import { AppError } from '../../http/app-error.ts';
import { auditCallOf, type DeskCall } from '../../http/desk-call.ts';
import { actorOf } from '../../policy/access-policy.ts';
import { recordAudit } from '../audit/audit-writer.ts';
import { reachedOrRefused } from '../cases/case-access.ts';
import type { DirectoryCache } from '../directory/directory-cache.ts';
import type { OrientationSuggestions, OrientationSuggestionsQuery } from './orientation.schemas.ts';
import { currentOrientationRules, readOrientationContext, serviceCardOf, suggestionsForContext } from './orientation-context.ts';

export const rulesVersion = `${currentOrientationRules.id}@${currentOrientationRules.version}`;

export const assessmentRequiredError = () =>
  new AppError('assessment_required', 'Terminez l’évaluation du dossier : les suggestions partent des besoins repérés.');
export const communeRequiredError = () =>
  new AppError(
    'commune_required',
    'La commune de la personne n’est pas renseignée : les suggestions dépendent des services qui la desservent.',
  );

/**
 * Ranked services for a case, from its completed assessment and the primary member's commune, each with
 * its reason. The same rules and index serve the page. The directory is read before the transaction
 * (PGlite has one connection: a query beside an open transaction would wait for it forever).
 */
export async function getOrientationSuggestions(
  db: Database,
  directories: DirectoryCache,
  caseId: string,
  query: OrientationSuggestionsQuery,
  call: DeskCall,
): Promise<OrientationSuggestions | null> {
  const directory = await directories.directoryOf(call.agent.territoryId);
  return withActor(db, actorOf(call.agent), async (tx) => {
    const context = await reachedOrRefused(
      tx,
      call,
      await readOrientationContext(tx, caseId, { lock: false }),
      (found) => found.caseRow,
      { action: 'orientation.suggest', subjectIds: [caseId] },
    );
    if (!context) return null;
    const { assessment, communeCode } = context;
    if (!assessment) throw assessmentRequiredError();
    if (!communeCode) throw communeRequiredError();
    const suggestions = suggestionsForContext(
      directory.index,
      { assessment, communeCode, birthDate: context.birthDate },
      call.clock.now(),
      query.limit,
    );
    await recordAudit(
      tx,
      call.agent,
      {
        action: 'orientation.suggest',
        subjectKind: 'case',
        subjectIds: [caseId, assessment.id, ...(context.personId ? [context.personId] : [])],
        outcome: 'allowed',
      },
      auditCallOf(call),
    );
    return {
      caseId,
      assessmentId: assessment.id,
      communeCode,
      communeName: directory.index.communeName(communeCode),
      rulesVersion,
      suggestions: suggestions.map(({ service, ...rest }) => ({ ...rest, service: serviceCardOf(service, directory) })),
    };
  });
}
