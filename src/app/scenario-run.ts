// `tandem scenario run`: read one scenario (and another to compare), project each, and write the
// report files asked for. A scenario is a plan, not a record: this opens no database and changes
// nothing but the report files it writes (each beside its target, then renamed into place).

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compareScenarios, type Comparison } from '../domain/scenario-compare.js';
import { projectScenario } from '../domain/scenario-project.js';
import { ScenarioError, type ScenarioProjection } from '../domain/scenario.js';
import { renderScenarioHtml } from '../report/scenario-html.js';
import { renderScenarioXlsx } from '../report/scenario-xlsx.js';
import { loadScenarioFile } from '../scenario/load.js';
import { TandemError } from './errors.js';

export const SCENARIO_FORMATS = ['html', 'xlsx'] as const;
export type ScenarioFormat = (typeof SCENARIO_FORMATS)[number];

export interface ScenarioRunRequest {
  file: string;
  compare?: string;
  formats: ScenarioFormat[];
  /** No directory: project and return the figures, write nothing. */
  outDir?: string;
  generatedAt: string;
}

export interface ScenarioRunResult {
  scenarios: ScenarioProjection[];
  comparison: Comparison | null;
  files: { format: ScenarioFormat; path: string }[];
}

export function parseScenarioFormats(text: string): ScenarioFormat[] {
  const asked = text.split(',').map((f) => f.trim().toLowerCase()).filter((f) => f !== '');
  const unknown = asked.filter((f) => !(SCENARIO_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || asked.length === 0) throw new TandemError('USAGE', `--format takes a comma-separated list of ${SCENARIO_FORMATS.join(', ')}; got "${text}"`, [], 2);
  return [...new Set(asked)] as ScenarioFormat[];
}

async function project(file: string): Promise<ScenarioProjection> {
  const loaded = await loadScenarioFile(file);
  if (!loaded.ok) {
    const n = loaded.problems.length;
    throw new TandemError('SCENARIO_INVALID', `the scenario ${file} has ${n} problem${n === 1 ? '' : 's'}; nothing was projected`, loaded.problems);
  }
  try {
    return projectScenario(loaded.scenario);
  } catch (error) {
    if (error instanceof ScenarioError) throw new TandemError('SCENARIO_UNWORKABLE', `the scenario ${file} cannot be projected: ${error.message}`);
    throw error;
  }
}

async function atomicWrite(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${file}.part`;
  try {
    await write(tmp);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export async function runScenario(request: ScenarioRunRequest): Promise<ScenarioRunResult> {
  const scenarios = [await project(request.file)];
  if (request.compare !== undefined) scenarios.push(await project(request.compare));
  const comparison = scenarios.length === 2 ? compareScenarios(scenarios[0]!, scenarios[1]!) : null;
  const files: ScenarioRunResult['files'] = [];
  if (request.outDir !== undefined) {
    await mkdir(request.outDir, { recursive: true });
    const stem = path.join(request.outDir, `scenario-${scenarios.map((s) => s.scenario.id).join('-vs-')}`);
    for (const format of request.formats) {
      const file = `${stem}.${format}`;
      if (format === 'html') await atomicWrite(file, (tmp) => writeFile(tmp, renderScenarioHtml(scenarios, comparison, request.generatedAt)));
      else await atomicWrite(file, (tmp) => renderScenarioXlsx(scenarios, comparison, request.generatedAt, tmp));
      files.push({ format, path: file });
    }
  }
  return { scenarios, comparison, files };
}
