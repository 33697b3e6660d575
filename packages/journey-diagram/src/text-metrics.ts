/**
 * Text width without a browser: an estimate in em from rough glyph classes of Marianne / Arial, on the
 * generous side so that a label never overflows its box. Only layout uses it; the browser draws the text.
 */
const narrow = new Set([..."iljIft.,:;!|()[]'’ "]);
const wide = new Set([...'mwMWœŒæÆ']);

export function estimateTextWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const char of text) {
    if (narrow.has(char)) em += 0.3;
    else if (wide.has(char)) em += 0.88;
    else if (char >= '0' && char <= '9') em += 0.58;
    else if (char !== char.toLowerCase()) em += 0.7;
    else em += 0.57;
  }
  return Math.ceil(em * fontSize * 1.05);
}
