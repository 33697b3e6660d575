/**
 * The stylesheet of the diagrams, for the page to ship in its own CSS file: the SVG carries classes only,
 * never a `style` attribute or element, so that it passes a strict content-security policy. Colours are
 * DSFR's (bleu France, greys); every cue also differs in shape or text, never in colour alone.
 * Font sizes must stay in step with `metrics.fontSize` in `layout.ts`.
 */
export const journeyDiagramCss = `
.jd-diagram { max-width: 100%; height: auto; font-family: Marianne, arial, sans-serif; }
.jd-diagram text { fill: #161616; font-size: 12px; }
.jd-diagram .jd-label { font-size: 14px; }
.jd-box { fill: #fff; stroke: #666; stroke-width: 1; }
.jd-compound > .jd-box { fill: #f6f6f6; }
.jd-compound > .jd-label { font-weight: 700; }
.jd-final-ring { fill: none; stroke: #666; stroke-width: 1; }
.jd-timer-icon { stroke: #3a3a3a; stroke-width: 1.5; stroke-dasharray: 4 3; }
.jd-diagram .jd-timer { fill: #3a3a3a; font-style: italic; }
.jd-visited > .jd-box { fill: #ececfe; stroke: #000091; stroke-width: 2; }
.jd-diagram .jd-visited > .jd-status { fill: #000091; font-weight: 700; }
.jd-current > .jd-box { fill: #000091; stroke: #000091; stroke-width: 3; }
.jd-current-ring { fill: none; stroke: #000091; stroke-width: 2; }
.jd-current > .jd-timer-icon { stroke: #fff; }
.jd-diagram .jd-current > text { fill: #fff; font-weight: 700; }
.jd-compound.jd-current > .jd-box { fill: #e3e3fd; }
.jd-diagram .jd-compound.jd-current > text { fill: #000091; }
.jd-transition { fill: none; stroke: #666; stroke-width: 1.25; }
.jd-transition.jd-delayed { stroke-dasharray: 6 4; }
.jd-transition.jd-taken { stroke: #000091; stroke-width: 3.5; }
.jd-arrowhead { fill: #666; }
.jd-arrowhead.jd-taken { fill: #000091; }
.jd-transition-label > rect { fill: #fff; }
.jd-diagram .jd-transition-label > text { fill: #3a3a3a; }
.jd-diagram .jd-transition-label.jd-delayed > text { font-style: italic; }
.jd-transition-label.jd-taken > rect { stroke: #000091; stroke-width: 1.5; }
.jd-diagram .jd-transition-label.jd-taken > text { fill: #000091; font-weight: 700; }
.jd-legend-current { fill: #000091; stroke: #000091; }
.jd-diagram .jd-legend-check { fill: #000091; font-weight: 700; font-size: 14px; }
@media (forced-colors: active) {
  .jd-box, .jd-final-ring, .jd-transition, .jd-current-ring, .jd-timer-icon { stroke: CanvasText; }
  .jd-current > .jd-box, .jd-legend-current { fill: Highlight; stroke: CanvasText; }
  .jd-diagram text, .jd-arrowhead { fill: CanvasText; }
  .jd-diagram .jd-current > text { fill: HighlightText; }
}
`.trim();
