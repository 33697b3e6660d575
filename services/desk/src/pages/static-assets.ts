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
  /** URL prefix of DSFR Chart's `dist/` (the charts of the supervision pages, web components). */
  dsfrChartBase: string;
  /** URL of the supervision pages' script (the CSV exports' progress indication). */
  supervisionJs: string;
  directoryImportJs: string;
  router: Router;
}

// DSFR Chart's exports map hides its package.json: its main file is dist/DSFRChart/DSFRChart.umd.cjs.
const dsfrChartDist = dirname(dirname(require.resolve('@gouvfr/dsfr-chart')));
const dsfrChartVersion = (JSON.parse(readFileSync(join(dsfrChartDist, '..', 'package.json'), 'utf8')) as { version: string })
  .version;

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
  const supervision = readFileSync(join(staticDir, 'supervision.js'), 'utf8');
  const supervisionJs = `/static/desk/supervision.${createHash('sha256').update(supervision).digest('hex').slice(0, 12)}.js`;
  const directoryImport = readFileSync(join(staticDir, 'directory-import.js'), 'utf8');
  const directoryImportJs = `/static/desk/directory-import.${createHash('sha256').update(directoryImport).digest('hex').slice(0, 12)}.js`;
  const dsfrChartBase = `/static/dsfr-chart/${dsfrChartVersion}`;
  const router = express.Router();
  router.use(dsfrBase, express.static(dsfrDist, { immutable: true, maxAge: yearMs, index: false }));
  router.use(dsfrChartBase, express.static(dsfrChartDist, { immutable: true, maxAge: yearMs, index: false }));
  router.get(supervisionJs, (_req, res) => {
    res
      .set('Cache-Control', `public, max-age=${yearMs / 1000}, immutable`)
      .type('text/javascript')
      .send(supervision);
  });
  router.get(directoryImportJs, (_req, res) => {
    res
      .set('Cache-Control', `public, max-age=${yearMs / 1000}, immutable`)
      .type('text/javascript')
      .send(directoryImport);
  });
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
  return { dsfrBase, deskCss, partnerLinkJs, dsfrChartBase, supervisionJs, directoryImportJs, router };
}
