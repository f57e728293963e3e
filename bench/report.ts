/**
 * The benchmark's one output: figures grouped by section, printed as a table and written as
 * JSON with the same numbers. A figure is a spread over runs, a single count, or "n/a" with the
 * reason it could not be measured — never a made-up number.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spread } from './stats.ts';

export type Unit = 'ms' | 's' | 'MB' | 'req' | 'x' | 'writes';

export interface Goal {
  text: string;
  met: boolean;
}

export interface Figure {
  section: string;
  name: string;
  unit: Unit;
  /** A spread over runs, a single value, or absent when `na` says why. */
  value?: Spread | number;
  na?: string;
  goal?: Goal;
  note?: string;
}

export class Report {
  readonly figures: Figure[] = [];
  readonly notes: string[] = [];

  add(figure: Figure): Figure {
    this.figures.push(figure);
    process.stderr.write(`  ${figure.section} · ${figure.name}: ${valueText(figure)}${figure.goal ? ` (goal ${figure.goal.text}: ${figure.goal.met ? 'met' : 'NOT met'})` : ''}\n`);
    return figure;
  }

  na(section: string, name: string, unit: Unit, reason: string, goal?: string): void {
    this.add({ section, name, unit, na: reason, ...(goal === undefined ? {} : { note: `goal ${goal} not checked` }) });
  }

  note(text: string): void {
    this.notes.push(text);
  }
}

function fmt(x: number, unit: Unit): string {
  if (!Number.isFinite(x)) return '-';
  if (unit === 'x') return `${x.toFixed(2)}x`;
  if (unit === 'req' || unit === 'writes') return Number.isInteger(x) ? String(x) : x.toFixed(1);
  if (unit === 's') return x.toFixed(2);
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

export function valueText(f: Figure): string {
  if (f.na !== undefined) return `n/a (${f.na})`;
  if (f.value === undefined) return '-';
  const suffix = f.unit === 'x' ? '' : ` ${f.unit}`;
  if (typeof f.value === 'number') return `${fmt(f.value, f.unit)}${suffix}`;
  return `${fmt(f.value.median, f.unit)}${suffix}`;
}

function spreadText(f: Figure): string {
  if (f.value === undefined || typeof f.value === 'number') return '';
  return `${fmt(f.value.p10, f.unit)}–${fmt(f.value.p90, f.unit)}`;
}

function runsText(f: Figure): string {
  return f.value === undefined || typeof f.value === 'number' ? '' : String(f.value.n);
}

/** A plain-text table (also valid Markdown), one row per figure, sections as separators. */
export function renderTable(report: Report): string {
  const header = ['section', 'figure', 'median / value', 'p10–p90', 'runs', 'goal', 'met'];
  // Sections in number order; within one, the order they were measured in (sort is stable).
  const sorted = [...report.figures].sort((a, b) => a.section.localeCompare(b.section));
  const rows = sorted.map((f) => [
    f.section,
    f.note === undefined ? f.name : `${f.name} — ${f.note}`,
    valueText(f),
    spreadText(f),
    runsText(f),
    f.goal?.text ?? '',
    f.goal === undefined ? '' : f.goal.met ? 'met' : 'NOT met',
  ]);
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  const notes = report.notes.map((n) => `- ${n}`);
  return [...lines, '', ...notes, ''].join('\n');
}

export function writeJson(report: Report, machine: object, options: object, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const body = JSON.stringify({ machine, options, figures: report.figures, notes: report.notes }, null, 2);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `bench-${stamp}.json`);
  writeFileSync(file, `${body}\n`);
  writeFileSync(join(dir, 'latest.json'), `${body}\n`);
  return file;
}
