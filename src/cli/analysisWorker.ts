// Worker thread entry for analyzeStored (analysis.ts): opens the case read-only, loads the same rule
// folders, analyzes and posts the outcome back. A FatalError (the case file cannot be read, say)
// goes back as such; anything else as the error it is.
import { parentPort, workerData } from 'node:worker_threads';
import { FatalError } from '../model/errors.js';
import { loadCatalog } from '../rules/index.js';
import { openCase } from '../store/caseFile.js';
import { analyzeStored, type AnalysisParams } from './analysis.js';

export interface AnalysisJob {
  casePath: string;
  rules: string[];
  params: AnalysisParams;
}

export type AnalysisReply =
  | { ok: ReturnType<typeof analyzeStored> }
  | { fatal: { message: string; exitCode: number } }
  | { error: { message: string; stack?: string } };

if (parentPort) {
  const job = workerData as AnalysisJob;
  let reply: AnalysisReply;
  try {
    const cf = openCase(job.casePath, { readonly: true });
    try {
      reply = { ok: analyzeStored(cf, job.params, loadCatalog(job.rules)) };
    } finally {
      cf.close();
    }
  } catch (err) {
    if (err instanceof FatalError) reply = { fatal: { message: err.message, exitCode: err.exitCode } };
    else reply = { error: { message: (err as Error).message ?? String(err), ...((err as Error).stack ? { stack: (err as Error).stack } : {}) } };
  }
  parentPort.postMessage(reply);
}
