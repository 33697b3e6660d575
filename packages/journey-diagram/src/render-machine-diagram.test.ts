import { journeyMachine, referralMachine } from '@parcours/journey';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
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
    expect(svg).toContain('étape actuelle');
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
});
