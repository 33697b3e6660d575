import { z } from 'zod';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import { buildOpenApiDocument } from './openapi-document.ts';

/** Serves the document of `routes()`, itself included; built once, on first request. */
export function openApiRoute(routes: () => readonly AnyRoute[]) {
  let document: ReturnType<typeof buildOpenApiDocument> | undefined;
  return defineRoute({
    operationId: 'getOpenApiDocument',
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'Ce document',
    tags: ['operations'],
    access: { kind: 'public' },
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
    handle: async () => {
      document ??= buildOpenApiDocument(routes());
      return { status: 200, body: document };
    },
  });
}
