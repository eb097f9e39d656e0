// The CLI's view of the exit codes; defined in the model so lower stages need not import src/cli.
export { ExitCode, FatalError, type ExitCodeValue } from '../model/errors.js';
