import type { RequestHandler, Response } from 'express';

/**
 * Every page's `res.redirect` waits for the session to be stored. express-session stores a changed
 * session while the response is already on its way (it writes the headers first), so a browser
 * following a 303 at once could load the session before the POST's change is in it: the flash message
 * missing, the acting organisation not chosen yet. Saving first closes that race; express-session then
 * finds the session saved and does not store it twice.
 */
export const saveSessionBeforeRedirect: RequestHandler = (req, res, next) => {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    // No session, or an empty one express-session would not store (saveUninitialized: false).
    if (!req.session || Object.keys(req.session).every((key) => key === 'cookie')) return redirect(...args);
    req.session.save((error?: unknown) => (error ? next(error) : redirect(...args)));
  }) as Response['redirect'];
  next();
};
