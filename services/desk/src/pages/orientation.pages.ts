import type { Router } from 'express';
import type { DirectoryCache } from '../directory/directory-cache.ts';
import type { PagesDependencies } from './page-context.ts';

export function mountOrientationPages(_router: Router, _deps: PagesDependencies, _directory: DirectoryCache): void {}
