import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { journeyDiagramCss } from '@parcours/journey-diagram';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const dsfrPackage = require.resolve('@gouvfr/dsfr/package.json');
const dsfrVersion = (JSON.parse(readFileSync(dsfrPackage, 'utf8')) as { version: string }).version;
const dsfrDist = join(dirname(dsfrPackage), 'dist');

export interface StaticAssets {
  /** URL prefix of DSFR's `dist/` (css, fonts, icons, JS module and nomodule). */
  dsfrBase: string;
  /** URL of the desk's stylesheet (its own rules and the journey diagram's). */
  deskCss: string;
  /** URL of the partner link page's script (reads the link's code from the URL fragment). */
  partnerLinkJs: string;
  router: Router;
}

const yearMs = 365 * 24 * 60 * 60 * 1000;

/**
 * DSFR and the desk's stylesheet, served by the app itself (no CDN: agents' networks may filter them,
 * and a CDN would see who uses the desk). URLs carry the DSFR version or a content hash, so they are
 * cached for a year as immutable and a new release is a new URL.
 */
export function createStaticAssets(staticDir: string): StaticAssets {
  const css = `${readFileSync(join(staticDir, 'desk.css'), 'utf8')}\n/* Journey diagram (@parcours/journey-diagram) */\n${journeyDiagramCss}\n`;
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 12);
  const dsfrBase = `/static/dsfr/${dsfrVersion}`;
  const deskCss = `/static/desk/desk.${hash}.css`;
  const partnerLink = readFileSync(join(staticDir, 'partner-link.js'), 'utf8');
  const partnerLinkJs = `/static/desk/partner-link.${createHash('sha256').update(partnerLink).digest('hex').slice(0, 12)}.js`;
  const router = express.Router();
  router.use(dsfrBase, express.static(dsfrDist, { immutable: true, maxAge: yearMs, index: false }));
  router.get(deskCss, (_req, res) => {
    res
      .set('Cache-Control', `public, max-age=${yearMs / 1000}, immutable`)
      .type('text/css')
      .send(css);
  });
  router.get(partnerLinkJs, (_req, res) => {
    res
      .set('Cache-Control', `public, max-age=${yearMs / 1000}, immutable`)
      .type('text/javascript')
      .send(partnerLink);
  });
  return { dsfrBase, deskCss, partnerLinkJs, router };
}
