// Every scenario, in catalogue order. One module per scenario folder under samples/.
import type { Scenario } from './lib/model.js';
import * as healthyBaseline from './healthy-baseline.js';

const builders: Array<{ build: () => Scenario }> = [healthyBaseline];

export const SCENARIOS: readonly Scenario[] = builders.map((b) => b.build());
