// The one sentence both engines give a read-only command that finds a database it cannot read as it is.
import { OperatorError } from '../lib/operator-error.ts';

/** Refuses a database at `applied` of `total` migrations: a new one (`hasTables` false) is named as such, not as "older". */
export function notMigrated(location: string, applied: number, total: number, hasTables: boolean): OperatorError {
  if (!hasTables) return new OperatorError(`database ${location} has no storywire tables yet (0 of ${total} migrations applied); run storywire serve or storywire poll once to create them`);
  return new OperatorError(`database ${location} was written by an older storywire (${applied} of ${total} migrations applied); run storywire serve or storywire poll once to migrate it`);
}
