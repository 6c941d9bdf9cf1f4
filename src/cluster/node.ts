// Who this process is, for leases: "<node>:<pid>:<random>", where the node is STORYWIRE_NODE_NAME or the host name.
// A lease whose holder names this node and a process that no longer runs is free at once (a poller killed with -9 and
// restarted on the same machine need not wait for its old leases to expire); any other holder's lease only once it
// expired, since a process on another machine cannot be asked.
import { randomBytes } from 'node:crypto';
import os from 'node:os';

/** The name of this machine in lease holders. */
export function nodeName(): string {
  return (process.env.STORYWIRE_NODE_NAME || os.hostname()).replace(/:/g, '_');
}

let own: string | null = null;

/** This process's holder id, the same for all its leases: unique even across restarts that reuse a pid. */
export function holderId(): string {
  return (own ??= `${nodeName()}:${process.pid}:${randomBytes(3).toString('hex')}`);
}

/** True when `holder` is a process of this node that is no longer running. */
export function isDeadHolder(holder: string): boolean {
  const parts = holder.split(':');
  if (parts.length !== 3 || parts[0] !== nodeName()) return false;
  const pid = Number(parts[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // This pid with another id: an earlier process that had the same pid (a container restarted as pid 1).
  if (pid === process.pid) return holder !== holderId();
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    // EPERM: the process exists (another user's); only ESRCH says it is gone.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
