import { describe, expect, it } from 'vitest';
import { renderConsentNotice, sha256Hex } from './notice.ts';

const caf = { id: '00000000-0000-4000-8000-000000000001', name: 'CAF des Hautes-Alpes' };
const ccas = { id: '00000000-0000-4000-8000-000000000002', name: 'CCAS de Gap' };

describe('renderConsentNotice', () => {
  it('when the same scope is given in another order, then the text and hash are the same', () => {
    const a = renderConsentNotice({
      recipients: [caf, ccas],
      purposes: ['housing', 'rights_opening'],
      categories: ['contact', 'identity'],
    });
    const b = renderConsentNotice({
      recipients: [ccas, caf, ccas],
      purposes: ['rights_opening', 'housing'],
      categories: ['identity', 'contact'],
    });
    expect(b.text).toBe(a.text);
    expect(b.sha256).toBe(a.sha256);
    expect(a.sha256).toBe(sha256Hex(a.text));
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when rendered, then the text answers the four required questions and names every recipient and category', () => {
    const notice = renderConsentNotice({ recipients: [caf], purposes: ['rights_opening'], categories: ['identity', 'health'] });
    for (const title of ['Ce qui est partagé', 'Avec qui, et pourquoi', 'Par quel moyen', 'Avec quelle sécurité']) {
      expect(notice.text).toContain(title);
    }
    expect(notice.text).toContain('CAF des Hautes-Alpes');
    expect(notice.text).toContain('santé');
    expect(Object.keys(notice.sections)).toEqual(['what_is_shared', 'with_whom', 'by_what_means', 'which_security']);
  });

  it('when the scope changes, then the hash changes', () => {
    const a = renderConsentNotice({ recipients: [caf], purposes: ['rights_opening'], categories: ['identity'] });
    const b = renderConsentNotice({ recipients: [caf], purposes: ['rights_opening'], categories: ['identity', 'contact'] });
    expect(b.sha256).not.toBe(a.sha256);
  });
});
