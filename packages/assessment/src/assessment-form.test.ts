import { serviceBundles } from '@parcours/vocabulary';
import { describe, expect, it } from 'vitest';
import { AssessmentForm } from './assessment-form.schema.ts';
import { multidimensionalFormV1 } from './forms/multidimensional-v1.form.ts';
import { assessmentFormOf, currentAssessmentForm } from './index.ts';
import { urgencies, urgencyScale } from './scales.ts';

describe('multidimensional assessment form v1', () => {
  it('when the form is read, then every one of the 18 service bundles is answered by at least one need domain', () => {
    const covered = new Set(multidimensionalFormV1.domains.flatMap((domain) => domain.bundles));
    expect(serviceBundles).toHaveLength(18);
    expect(serviceBundles.filter((bundle) => !covered.has(bundle.code)).map((bundle) => bundle.code)).toEqual([]);
  });

  it('when the form is read, then it has autonomy, health, isolation and digital access domains beside the bundles', () => {
    const codes = multidimensionalFormV1.domains.map((domain) => domain.code);
    expect(codes).toEqual(expect.arrayContaining(['autonomy', 'health', 'isolation', 'digital_access']));
  });

  it('when the form is read, then exactly the health and autonomy domains are tagged as health data', () => {
    const health = multidimensionalFormV1.domains
      .filter((domain) => domain.dataCategory === 'health')
      .map((domain) => domain.code);
    expect(health.sort()).toEqual(['autonomy', 'health']);
  });

  it('when a form repeats a domain code, then the form schema rejects it', () => {
    const domain = multidimensionalFormV1.domains[0];
    const result = AssessmentForm.safeParse({ ...multidimensionalFormV1, domains: [domain, domain] });
    expect(result.success).toBe(false);
  });

  it('when a released form is looked up by id and version, then it is found, and an unknown version is not', () => {
    expect(assessmentFormOf('parcours-multidimensional', 1)).toBe(currentAssessmentForm);
    expect(assessmentFormOf('parcours-multidimensional', 99)).toBeNull();
  });

  it('when the urgency scale is published, then its codes and ranks follow the urgency enum in order', () => {
    expect(urgencyScale.map((step) => step.code)).toEqual([...urgencies]);
    expect(urgencyScale.map((step) => step.rank)).toEqual([0, 1, 2, 3]);
  });

  it('when the released v1 form is serialised, then it matches its snapshot (a released version never changes)', () => {
    expect(multidimensionalFormV1).toMatchSnapshot();
  });
});
