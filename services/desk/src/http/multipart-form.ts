import { Readable } from 'node:stream';
import type { RequestHandler } from 'express';
import { AppError } from './app-error.ts';

/** A file sent through a form: its name and text (the directory import reads JSON only). */
export interface UploadedFile {
  name: string;
  text: string;
}

/**
 * Parses a `multipart/form-data` form (a file upload) into `req.body`: text fields as strings, files
 * as `{ name, text }`. Mounted on the upload's path before the session and the CSRF check, which reads
 * the `_csrf` field from the body like any form's. The runtime's own parser (fetch's `formData()`) is
 * used, so no parser dependency; the size is checked while reading, past the limit the request is
 * refused (413) before anything is parsed.
 */
export function multipartForm(limitBytes: number): RequestHandler {
  return async (req, _res, next) => {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !type.startsWith('multipart/form-data')) return next();
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limitBytes) return next(new AppError('payload_too_large', 'Le fichier envoyé est trop volumineux.'));
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limitBytes) return next(new AppError('payload_too_large', 'Le fichier envoyé est trop volumineux.'));
        chunks.push(chunk);
      }
      const form = await new Response(Readable.toWeb(Readable.from([Buffer.concat(chunks)])) as ReadableStream, {
        headers: { 'content-type': type },
      }).formData();
      const body: Record<string, string | UploadedFile> = {};
      for (const [key, value] of form.entries()) {
        body[key] = typeof value === 'string' ? value : { name: value.name, text: await value.text() };
      }
      req.body = body;
      next();
    } catch {
      next(new AppError('validation_failed', 'Le formulaire envoyé est illisible. Rechargez la page et recommencez.'));
    }
  };
}
