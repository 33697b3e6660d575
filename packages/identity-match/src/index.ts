export { type Identity, identitiesMatch, matchKeysOf } from './match-keys.ts';
export { birthDateVariantsOf, nameTokensOf, normaliseName, phoneticOf } from './normalise.ts';
