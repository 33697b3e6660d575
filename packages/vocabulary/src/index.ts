export * from './codes.ts';
export { formatIssuePath, frenchIssueMessage, issueReasons, type ValidationIssue } from './french-messages.ts';
export * from './reference-codes.ts';
export { type BundleCode, bundleCodes, bundleLabel, type ServiceBundle, serviceBundles } from './service-bundles.ts';
