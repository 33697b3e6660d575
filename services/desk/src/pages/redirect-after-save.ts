import type { Request, Response } from 'express';

/**
 * Redirects (303) once the session is stored. express-session stores a changed session while the
 * response is already on its way (it writes the headers first), so a browser following a redirect at
 * once may load the session before the flash message set by the POST is in it; saving first closes
 * that race.
 */
export function redirectAfterSave(req: Request, res: Response, location: string): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.save((error?: unknown) => {
      if (error) return reject(error);
      res.redirect(303, location);
      resolve();
    });
  });
}
