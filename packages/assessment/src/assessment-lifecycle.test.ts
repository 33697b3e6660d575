import { describe, expect, it } from 'vitest';
import type { AssessmentAnswers } from './assessment-answers.ts';
import {
  type AssessmentRecord,
  completeDraft,
  newAssessmentDraft,
  recordRightFollowUp,
  saveDraftAnswers,
  saveDraftRights,
} from './assessment-lifecycle.ts';
import { multidimensionalFormV1 as form } from './forms/multidimensional-v1.form.ts';

const caseId = '00000000-0000-4000-8000-000000000001';
const at = new Date('2026-03-02T09:00:00Z');
const completeAnswers: AssessmentAnswers = {
  expressedRequest: { text: 'Je viens d’être licenciée.', domains: ['employment'] },
  needs: {
    ...Object.fromEntries(form.domains.map((domain) => [domain.code, { level: 'none' as const }])),
    employment: { level: 'severe', urgency: 'soon' },
  },
};

function unwrap<T>(result: { ok: true; value: T } | { ok: false; issues: unknown }): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

function completedAssessment(id = 'a1'): AssessmentRecord {
  const draft = unwrap(newAssessmentDraft({ id, caseId, form }));
  const filled = unwrap(saveDraftAnswers(form, draft, completeAnswers));
  const withRights = unwrap(
    saveDraftRights(filled, [
      { right: 'are', status: 'identified' },
      { right: 'rsa', status: 'identified' },
    ]),
  );
  return unwrap(completeDraft(form, withRights, { agentId: 'agent-1', at })).assessment;
}

describe('assessment lifecycle', () => {
  it('when a draft is saved piece by piece, then partial answers are kept', () => {
    const draft = unwrap(newAssessmentDraft({ id: 'a1', caseId, form }));
    const saved = unwrap(saveDraftAnswers(form, draft, { needs: { housing: { level: 'moderate' } } }));
    expect(saved.status).toBe('draft');
    expect(saved.answers.needs.housing).toEqual({ level: 'moderate' });
  });

  it('when a partial draft is completed, then completion is refused and the draft stays a draft', () => {
    const draft = unwrap(newAssessmentDraft({ id: 'a1', caseId, form }));
    const result = completeDraft(form, draft, { agentId: 'agent-1', at });
    expect(result.ok).toBe(false);
  });

  it('when a complete draft is completed, then it records who and when and is immutable from then on', () => {
    const completed = completedAssessment();
    expect(completed).toMatchObject({ status: 'completed', completedAt: at, completedByAgentId: 'agent-1' });
    const edit = saveDraftAnswers(form, completed, completeAnswers);
    expect(edit).toEqual({
      ok: false,
      issues: [{ path: 'status', message: 'une évaluation terminée ne se modifie plus : commencer une nouvelle évaluation' }],
    });
    expect(saveDraftRights(completed, []).ok).toBe(false);
    expect(completeDraft(form, completed, { agentId: 'agent-1', at }).ok).toBe(false);
  });

  it('when a new assessment of the case is completed, then it supersedes the previous one, which is kept', () => {
    const previous = completedAssessment('a1');
    const next = unwrap(newAssessmentDraft({ id: 'a2', caseId, form, current: previous }));
    expect(next.supersedesId).toBe('a1');
    expect(next.answers).toEqual(previous.answers);
    const later = new Date('2026-04-01T09:00:00Z');
    const completion = unwrap(completeDraft(form, next, { agentId: 'agent-2', at: later }));
    expect(completion.superseded).toEqual({ id: 'a1', supersededAt: later });
  });

  it('when a draft already exists for the case, then a second draft is refused', () => {
    const draft = unwrap(newAssessmentDraft({ id: 'a1', caseId, form }));
    expect(newAssessmentDraft({ id: 'a2', caseId, form, current: draft }).ok).toBe(false);
  });

  it('when a completed assessment follows up a right, then only the follow-up changes', () => {
    const completed = completedAssessment();
    const followed = unwrap(
      recordRightFollowUp(completed, 'rsa', { status: 'not_requested', nonTakeUpReason: 'non_request' }, at),
    );
    expect(followed.potentialRights).toContainEqual({
      right: 'rsa',
      status: 'not_requested',
      nonTakeUpReason: 'non_request',
      updatedAt: at.toISOString(),
    });
    expect(followed.answers).toBe(completed.answers);
  });

  it('when a right was not identified, then its follow-up is refused', () => {
    expect(recordRightFollowUp(completedAssessment(), 'apa', { status: 'requested' }, at).ok).toBe(false);
  });

  it('when a superseded assessment follows up a right, then it is refused', () => {
    const superseded: AssessmentRecord = { ...completedAssessment(), status: 'superseded', supersededAt: at };
    expect(recordRightFollowUp(superseded, 'rsa', { status: 'requested' }, at).ok).toBe(false);
  });
});
