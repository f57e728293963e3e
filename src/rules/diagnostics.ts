import type { FalcoLoadMessage, FalcoLoadResult, FalcoLocation } from './falco-json.ts';

/** One error or warning, in the shape the operator, CLI and MCP server consume. */
export interface RuleDiagnostic {
  readonly severity: 'error' | 'warning';
  /** Falco's code: LOAD_ERR_* for errors, LOAD_* for warnings. */
  readonly code: string;
  readonly message: string;
  readonly file: string;
  /** 1-based, of the innermost location inside the file (Falco prints them 0-based). */
  readonly line?: number;
  readonly column?: number;
  /** The top-level item: rule, macro, list, required_engine_version, ... */
  readonly itemKind?: string;
  readonly itemName?: string;
  readonly snippet?: string;
  readonly deprecatedField?: string;
  /** Falco's own location chain, unchanged (0-based positions). */
  readonly locations: readonly FalcoLocation[];
}

/** Derives a diagnostic from a Falco load message; works for ours and for real Falco's output. */
export function toDiagnostic(severity: 'error' | 'warning', m: FalcoLoadMessage, fallbackFile: string): RuleDiagnostic {
  const locations = m.context.locations;
  const file = locations[0]?.position.name ?? fallbackFile;
  const item = locations[1];
  const inFile = [...locations].reverse().find((l) => l.position.name === file);
  return {
    severity,
    code: m.code,
    message: m.message,
    file,
    ...(inFile !== undefined ? { line: inFile.position.line + 1, column: inFile.position.column + 1 } : {}),
    ...(item !== undefined && item.item_type !== 'value for' ? { itemKind: item.item_type } : {}),
    ...(item !== undefined && item.item_name !== '' ? { itemName: item.item_name } : {}),
    ...(m.context.snippet !== undefined ? { snippet: m.context.snippet } : {}),
    ...(m.deprecated_field !== undefined ? { deprecatedField: m.deprecated_field } : {}),
    locations,
  };
}

export function diagnosticsOf(results: readonly FalcoLoadResult[]): { errors: RuleDiagnostic[]; warnings: RuleDiagnostic[] } {
  const errors: RuleDiagnostic[] = [];
  const warnings: RuleDiagnostic[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    for (const e of r.errors) errors.push(toDiagnostic('error', e, r.name));
    for (const w of r.warnings) {
      // Falco recompiles everything after each file, so warnings about earlier files repeat.
      const key = JSON.stringify([w.code, w.message, w.context.locations]);
      if (seen.has(key)) continue;
      seen.add(key);
      warnings.push(toDiagnostic('warning', w, r.name));
    }
  }
  return { errors, warnings };
}
