export * from './codes.ts';
export { formatIssuePath, frenchIssueMessage, issueReasons, type ValidationIssue } from './french-messages.ts';
export * from './reference-codes.ts';
export { type BundleCode, bundleCodes, bundleLabel, type ServiceBundle, serviceBundles } from './service-bundles.ts';
export { type TextFault, type TextFaultAt, textFaultMessages, textFaultOf, textFaultsIn } from './text-input.ts';
