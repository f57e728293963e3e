import type { YAMLError } from 'yaml';

/**
 * Turns a `yaml` package parse error into the yaml-cpp message Falco prints
 * ("yaml-cpp: error at line L, column C: <msg>", 1-based). yaml-cpp reports an illegal mapping
 * value at the offending ':', where `yaml` reports the start of the implicit key, so the position
 * moves to that colon. Errors without a known yaml-cpp equivalent keep `yaml`'s own wording.
 */
export function yamlCppError(content: string, error: YAMLError): { message: string; offset: number } {
  if (error.message.includes('Maximum call stack size exceeded')) {
    return { message: 'rules content nests too deeply to be parsed', offset: 0 };
  }
  const start = error.pos[0];
  let offset = start;
  let text: string;
  const first = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
  switch (error.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      const colon = /:(?=[ \t\r\n]|$)/g;
      colon.lastIndex = start;
      offset = colon.exec(content)?.index ?? start;
      text = 'illegal map value';
      break;
    }
    case 'BAD_INDENT':
      text = first.startsWith('Flow sequence')
        ? 'end of sequence flow not found'
        : first.startsWith('Flow map')
          ? 'end of map flow not found'
          : first;
      break;
    case 'MISSING_CHAR':
      text = /quote/.test(first) ? 'illegal EOF in scalar' : first;
      break;
    case 'TAB_AS_INDENT':
      text = 'illegal tab when looking for indentation';
      break;
    default:
      text = first;
  }
  const before = content.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { message: `yaml-cpp: error at line ${line}, column ${column}: ${text}`, offset };
}
