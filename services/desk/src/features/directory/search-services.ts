import type { DirectoryService } from '@parcours/directory';
import { searchServices as searchIndex } from '@parcours/directory';
import type { DeskCall } from '../../http/desk-call.ts';
import type { SearchServicesQuery, ServiceList } from './directory.schemas.ts';
import type { DirectoryCache } from './directory-cache.ts';

/**
 * Directory browsing in the acting organisation's territory: by bundle, commune served and words,
 * sorted by id, paginated. Services are not personal data: the search is not audited.
 */
export async function searchServices(
  directories: DirectoryCache,
  query: SearchServicesQuery,
  call: Pick<DeskCall, 'agent'>,
): Promise<ServiceList> {
  const { index } = await directories.directoryOf(call.agent.territoryId);
  const found = searchIndex(index, {
    bundle: query.bundle,
    communeCode: query.communeCode,
    text: query.text,
    acceptsReferrals: query.acceptsReferrals,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: found.services, page: query.page, pageSize: query.pageSize, total: found.total };
}

/** One active service of the territory's directory, or null. */
export async function getDirectoryService(
  directories: DirectoryCache,
  serviceId: string,
  call: Pick<DeskCall, 'agent'>,
): Promise<DirectoryService | null> {
  const { index } = await directories.directoryOf(call.agent.territoryId);
  return index.byId.get(serviceId)?.service ?? null;
}
