import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../http/app-error.ts';
import { defineRoute } from '../http/route.ts';

export const healthRoute = defineRoute({
  operationId: 'getHealth',
  method: 'get',
  path: '/health',
  summary: 'Le service répond et joint sa base de données',
  tags: ['operations'],
  access: { kind: 'public' },
  responses: { 200: { description: 'En service', schema: z.object({ status: z.literal('ok') }) } },
  handle: async ({ req, deps }) => {
    try {
      await deps.db.execute(sql`select 1`);
    } catch (error) {
      req.log.error({ err: error }, 'health check: database unreachable');
      throw new AppError('unavailable', 'La base de données ne répond pas.');
    }
    return { status: 200, body: { status: 'ok' }, headers: { 'Cache-Control': 'no-store' } };
  },
});
