export {
  activeOpposition,
  bestMatchingConsent,
  type ConsentFacts,
  type Coverage,
  checkSharing,
  type Disclosure,
  disclosableCategories,
  filterToCategories,
  isConsentActive,
  type NotCovered,
  type SharingRequest,
} from './coverage.ts';
export {
  canonicalScope,
  currentNoticeVersion,
  dataCategoryLabels,
  type NoticeScope,
  type RenderedNotice,
  referralPurposeLabels,
  renderConsentNotice,
  sha256Hex,
} from './notice.ts';
