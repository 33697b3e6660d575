export {
  canonicalColumns,
  canonicalLineOf,
  canonicalVersion,
  genesisHash,
  readCanonicalLines,
  sealHashOf,
} from './canonical-row.ts';
export {
  type AuditSeal,
  defaultMaxRowsPerSeal,
  defaultSafetyMarginMs,
  readChainHead,
  type SealAuditOptions,
  type SealAuditResult,
  sealAllAudit,
  sealAuditBatch,
  sealLockKey,
} from './seal-audit.ts';
export {
  type AuditFinding,
  type AuditFindingKind,
  type AuditVerification,
  type VerifyAuditOptions,
  verifyAuditChain,
} from './verify-audit-chain.ts';
