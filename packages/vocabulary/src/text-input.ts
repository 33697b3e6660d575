/**
 * The one rule every text a person or a system sends to Parcours obeys, whatever its field: no control
 * characters (tab, line feed and carriage return excepted) and well-formed Unicode (no lone surrogate).
 * PostgreSQL refuses both (a NUL byte in `text`, `\u0000` and lone surrogates in `jsonb`), so an input that
 * breaks the rule would otherwise fail deep in a query, as a 500 after work was done. The desk applies it to
 * every string of every body, query and path it reads, keys included, before any schema.
 */

export type TextFault = 'control_character' | 'malformed_unicode';

// C0 controls but tab (09), line feed (0A) and carriage return (0D); DEL; C1 controls. Matching them is the point.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the rule exists to find control characters
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const controlCharacterGlobal = new RegExp(controlCharacter.source, 'g');
const loneSurrogateGlobal = new RegExp(loneSurrogate.source, 'g');

export const textFaultMessages: Record<TextFault, string> = {
  control_character: 'Ce texte contient un caractère de contrôle invisible (octet nul ou autre) : retapez-le.',
  malformed_unicode: 'Ce texte contient un caractère mal formé (encodage incomplet) : retapez-le.',
};

export function textFaultOf(text: string): TextFault | null {
  if (controlCharacter.test(text)) return 'control_character';
  if (loneSurrogate.test(text)) return 'malformed_unicode';
  return null;
}

export interface TextFaultAt {
  /** Dotted path of the string (or key) at fault, e.g. `answers.needs.housing.note`; empty for the value itself. */
  field: string;
  fault: TextFault;
}

/** Every string (and object key) of a parsed input that breaks the rule, with its path. Stops after `limit`. */
export function textFaultsIn(value: unknown, limit = 20): TextFaultAt[] {
  const found: TextFaultAt[] = [];
  const visit = (node: unknown, path: string[], depth: number): void => {
    if (found.length >= limit || depth > 64) return;
    if (typeof node === 'string') {
      const fault = textFaultOf(node);
      if (fault) found.push({ field: path.join('.'), fault });
      return;
    }
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, [...path, String(index)], depth + 1);
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        const keyFault = textFaultOf(key);
        // The key is at fault: its path names it without the offending characters.
        if (keyFault)
          found.push({
            field: [...path, key.replace(controlCharacterGlobal, '?').replace(loneSurrogateGlobal, '?')].join('.'),
            fault: keyFault,
          });
        else visit(item, [...path, key], depth + 1);
      }
    }
  };
  visit(value, [], 0);
  return found;
}
