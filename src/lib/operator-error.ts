// A mistake the operator can fix (a port in use, a missing file, a read-only database): one line, no stack trace.

/** An error whose message is the whole story for the operator: the path or port at fault and the fix. The CLI prints it alone and exits 2. */
export class OperatorError extends Error {
  override readonly name = 'OperatorError';
}
