import { AppError } from './app-error.ts';

/**
 * The 404s of the desk, one wording each. A record that does not exist and one the caller may not
 * reach answer the same, so that an id reveals nothing.
 */
export const caseNotFound = () => new AppError('not_found', 'Ce dossier est introuvable.');
export const referralNotFound = () => new AppError('not_found', 'Cette orientation est introuvable.');
export const assessmentNotFound = () => new AppError('not_found', 'Cette évaluation est introuvable.');
export const personNotFound = () => new AppError('not_found', 'Cette personne est introuvable.');
export const consentNotFound = () => new AppError('not_found', 'Ce consentement est introuvable.');
export const serviceNotFound = () => new AppError('not_found', 'Ce service ne figure pas dans l’annuaire du territoire.');
export const agentNotFound = () => new AppError('not_found', 'Cet agent est introuvable.');
