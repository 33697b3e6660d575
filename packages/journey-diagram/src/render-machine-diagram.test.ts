import { journeyMachine, referralMachine } from '@parcours/journey';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { journeyDiagramCss, journeyLabels, referralLabels, renderMachineDiagram } from './index.ts';
import { readMachineGraph } from './machine-graph.ts';

const journeyPath = {
  currentState: 'active.orientation',
  visitedStates: ['active.reception', 'active.assessment'],
  takenTransitions: [
    { from: 'active.reception', to: 'active.assessment', event: 'START_ASSESSMENT' },
    { from: 'active.assessment', to: 'active.orientation', event: 'COMPLETE_ASSESSMENT' },
  ],
  title: 'Parcours du dossier',
};

function elementsWithClass(svg: string, className: string): number {
  return [...svg.matchAll(/class="([^"]*)"/g)].filter((match) => match[1]?.split(/\s+/).includes(className)).length;
}

describe('renderMachineDiagram', () => {
  it('when the journey is drawn, then the SVG is well-formed XML with a title and a description naming the current stage', () => {
    const svg = renderMachineDiagram(journeyMachine, journeyPath);
    expect(XMLValidator.validate(svg)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: Record<string, unknown> };
    expect(parsed.svg['@_role']).toBe('img');
    expect(String(parsed.svg['@_aria-labelledby'])).toMatch(/title.*desc/);
    expect(svg).toContain('<title id="jd-journey-title">Parcours du dossier</title>');
    const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)?.[1] ?? '';
    expect(desc).toContain('Orientation');
    expect(desc).toContain('Évaluation');
  });

  it('when either machine is drawn, then every state of the machine appears with its French label', () => {
    for (const [machine, labels] of [
      [journeyMachine, journeyLabels],
      [referralMachine, referralLabels],
    ] as const) {
      const graph = readMachineGraph(machine);
      const current = graph.states.find((state) => state.children.length === 0)?.path as string;
      const svg = renderMachineDiagram(machine, { currentState: current, visitedStates: [], title: 'x' });
      for (const state of graph.states) {
        const label = labels[state.path];
        expect(label, `label of ${state.path}`).toBeTruthy();
        expect(svg).toContain(label as string);
      }
    }
  });

  it('when a state is current, then exactly that state is highlighted and announced, and visited states are marked apart', () => {
    const svg = renderMachineDiagram(journeyMachine, journeyPath);
    const current = [...svg.matchAll(/class="jd-state [^"]*jd-current"[^>]*>/g)];
    expect(current).toHaveLength(1);
    const currentGroup = /<g class="jd-state [^"]*jd-current">.*?<\/g>/.exec(svg)?.[0] ?? '';
    expect(currentGroup).toContain('<title>Orientation — étape actuelle</title>');
    expect(currentGroup).toContain('>étape actuelle</text>');
    expect(currentGroup).toContain('jd-current-ring');
    expect([...svg.matchAll(/class="jd-state [^"]*jd-visited"/g)]).toHaveLength(2);
    // Not by colour alone: visited states carry a check mark in text.
    expect(svg).toContain('✓');
  });

  it('when transitions were taken, then they are drawn as taken and the others are not', () => {
    const svg = renderMachineDiagram(journeyMachine, journeyPath);
    const none = renderMachineDiagram(journeyMachine, { ...journeyPath, takenTransitions: [] });
    // The legend draws one sample of a taken transition whatever the path; the path adds two more
    // (line and arrowhead or label) per taken transition.
    expect(elementsWithClass(svg, 'jd-taken') - elementsWithClass(none, 'jd-taken')).toBeGreaterThanOrEqual(4);
  });

  it('when drawn twice with the same input, then the output is identical (cacheable, snapshot-testable)', () => {
    expect(renderMachineDiagram(journeyMachine, journeyPath)).toBe(renderMachineDiagram(journeyMachine, journeyPath));
  });

  it('when served under a strict content-security policy, then it has no inline style and no script', () => {
    for (const svg of [
      renderMachineDiagram(journeyMachine, journeyPath),
      renderMachineDiagram(referralMachine, { currentState: 'accepted', visitedStates: ['draft'], title: 'Orientation' }),
    ]) {
      expect(svg).not.toMatch(/\sstyle=/);
      expect(svg).not.toMatch(/<script/i);
      expect(svg).not.toMatch(/\son[a-z]+=/i);
    }
    expect(journeyDiagramCss).toContain('.jd-current');
  });

  it('when the current state is unknown, then it refuses rather than drawing a wrong diagram', () => {
    expect(() => renderMachineDiagram(journeyMachine, { ...journeyPath, currentState: 'active.nowhere' })).toThrow(RangeError);
  });

  it('when a title contains markup, then it is escaped', () => {
    const svg = renderMachineDiagram(journeyMachine, { ...journeyPath, title: '<b>Parcours & suivi</b>' });
    expect(svg).toContain('&lt;b&gt;Parcours &amp; suivi&lt;/b&gt;');
    expect(XMLValidator.validate(svg)).toBe(true);
  });

  it('when a stage was left by a transition drawn from « Parcours actif », then that drawn transition is marked taken', () => {
    const svg = renderMachineDiagram(journeyMachine, {
      currentState: 'suspended',
      visitedStates: ['active.reception', 'active.assessment'],
      takenTransitions: [
        { from: 'active.reception', to: 'active.assessment', event: 'START_ASSESSMENT' },
        { from: 'active.assessment', to: 'suspended', event: 'SUSPEND' },
      ],
      title: 'Parcours',
    });
    expect(takenLabels(svg)).toEqual(['Commencer l’évaluation', 'Suspendre']);
  });

  it('when a timer fired, then its delayed transition is drawn dashed, labelled in French, and marked taken', () => {
    const svg = renderMachineDiagram(journeyMachine, {
      currentState: 'closed',
      visitedStates: ['active.reception', 'suspended'],
      takenTransitions: [
        { from: 'active.reception', to: 'suspended', event: 'SUSPEND' },
        { from: 'suspended', to: 'closed', event: 'xstate.after.lostContactClosure.journey.suspended' },
      ],
      title: 'Parcours',
    });
    expect(svg).toMatch(/<g class="jd-transition-label jd-delayed jd-taken">.*?Délai sans<\/tspan>.*?<\/g>/);
    expect(takenLabels(svg)).toEqual(['Suspendre', 'Délai sans contact écoulé']);
    // Deadlines that only notify are written inside their state as the step's rule, not as if they had passed
    // (« Délai d’accueil dépassé » is the timeline's words once it fired).
    expect(svg).toMatch(/class="jd-timer"[^>]*>Échéance d’accueil</);
    expect(svg).not.toMatch(/class="jd-timer"[^>]*>Délai/);
  });

  it('when the appointment of a referral was moved, then the loop on « Rendez-vous fixé » is marked taken', () => {
    const svg = renderMachineDiagram(referralMachine, {
      currentState: 'appointmentSet',
      visitedStates: ['draft', 'awaitingAnswer.sent', 'accepted'],
      takenTransitions: [
        { from: 'draft', to: 'awaitingAnswer.sent', event: 'SEND' },
        { from: 'awaitingAnswer.sent', to: 'accepted', event: 'ACCEPT' },
        { from: 'accepted', to: 'appointmentSet', event: 'SET_APPOINTMENT' },
        { from: 'appointmentSet', to: 'appointmentSet', event: 'SET_APPOINTMENT' },
      ],
      title: 'Orientation',
    });
    expect(takenLabels(svg)).toEqual(['Envoyer', 'Accepter', 'Fixer un rendez-vous', 'Fixer un rendez-vous']);
    expect(XMLValidator.validate(svg)).toBe(true);
  });

  it('when only the highlighting changes, then every box and line keeps its place (the layout is cached, not redone)', () => {
    const geometry = (svg: string) =>
      [...svg.matchAll(/<(?:rect|path|line)(?! class="jd-current-ring")[^>]*>/g)].map((match) =>
        match[0].replace(/ class="[^"]*"| marker-end="[^"]*"/g, ''),
      );
    const other = renderMachineDiagram(journeyMachine, {
      currentState: 'closed',
      visitedStates: ['suspended'],
      title: 'Parcours',
    });
    expect(geometry(other)).toEqual(geometry(renderMachineDiagram(journeyMachine, journeyPath)));
  });

  it('when visited states or taken transitions are unknown, then they are ignored', () => {
    const svg = renderMachineDiagram(journeyMachine, {
      ...journeyPath,
      visitedStates: ['active.reception', 'nowhere'],
      takenTransitions: [{ from: 'nowhere', to: 'active.reception', event: 'TELEPORT' }],
    });
    expect([...svg.matchAll(/class="jd-state [^"]*jd-visited"/g)]).toHaveLength(1);
    expect(takenLabels(svg)).toEqual([]);
  });

  it('when two diagrams of the same machine share a page, then an id prefix keeps their ids apart', () => {
    const first = renderMachineDiagram(referralMachine, {
      currentState: 'draft',
      visitedStates: [],
      title: 'A',
      idPrefix: 'ref-1',
    });
    const second = renderMachineDiagram(referralMachine, {
      currentState: 'draft',
      visitedStates: [],
      title: 'B',
      idPrefix: 'ref-2',
    });
    expect(first).toContain('aria-labelledby="ref-1-title ref-1-desc"');
    expect(first).toContain('url(#ref-1-arrow)');
    expect(second).toContain('<title id="ref-2-title">B</title>');
    expect(second).not.toContain('ref-1');
  });

  it('when the path is long, then the description collapses repeats and names only the most recent steps', () => {
    const loops = Array.from({ length: 500 }, () => [
      { from: 'active.followUp', to: 'active.orientation', event: 'REORIENT' },
      { from: 'active.orientation', to: 'active.followUp', event: 'REFERRAL_SENT' },
    ]).flat();
    const svg = renderMachineDiagram(journeyMachine, {
      currentState: 'active.followUp',
      visitedStates: ['active.reception', 'active.orientation'],
      takenTransitions: [...loops, { from: 'active.followUp', to: 'active.followUp', event: 'REFERRAL_SENT' }],
      title: 'Parcours',
    });
    const desc = /<desc[^>]*>([^<]*)<\/desc>/.exec(svg)?.[1] ?? '';
    expect(desc).toContain('961 transitions plus anciennes non détaillées');
    expect(desc).toContain('Orientation envoyée : Orientation vers Suivi');
    expect(desc.length).toBeLessThan(3000);
    expect(svg.length).toBeLessThan(20_000);
  });

  it('when a transition crosses into a compound state from outside, then it is still drawn and the SVG stays well-formed', () => {
    const machine = createMachine({
      id: 'cross-level-test',
      initial: 'outside',
      states: {
        outside: { on: { GO_IN: 'box.second' } },
        box: {
          initial: 'first',
          states: { first: { on: { NEXT: 'second' } }, second: { on: { OUT: '#cross-level-test.outside' } } },
        },
      },
    });
    const svg = renderMachineDiagram(machine, {
      currentState: 'box.second',
      visitedStates: ['outside'],
      takenTransitions: [{ from: 'outside', to: 'box.second', event: 'GO_IN' }],
      title: 'Test',
    });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(takenLabels(svg)).toEqual(['GO_IN']);
    expect(svg).toContain('>OUT<');
  });
});

/** The labels of the transitions drawn as taken, in drawing order. */
function takenLabels(svg: string): string[] {
  return [...svg.matchAll(/<g class="jd-transition-label[^"]*jd-taken">(.*?)<\/g>/g)].map((match) =>
    [...(match[1] ?? '').matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((line) => line[1]).join(' '),
  );
}
