// How a web server learns that stories changed in another process: PostgreSQL notifies it at once (LISTEN/NOTIFY), and
// a check of the stories counter every couple of seconds catches what a notification missed (a dropped connection,
// SQLite, which has none). Every replica then drops its answers and re-renders its feeds from the same rows, so they
// serve the same bodies and ETags.
import type { BackgroundErrorReporter } from '../lib/background.ts';
import type { Storage } from '../store/index.ts';

/** How often the stories counter is checked without a notification. */
export const CHANGE_CHECK_MS = 2000;

/** Calls `onChange` after stories changed in any process; stop() ends the watch. */
export async function watchStoryChanges(store: Storage, onChange: () => void, report: BackgroundErrorReporter, checkMs = CHANGE_CHECK_MS): Promise<{ stop(): Promise<void> }> {
  let seen = await store.storiesVersion();
  let checking: Promise<void> | null = null;
  // A notification during a check may name a commit the check read too early: check once more after it.
  let again = false;
  const check = (): void => {
    if (checking) {
      again = true;
      return;
    }
    checking = store
      .storiesVersion()
      .then((version) => {
        if (version === seen) return;
        seen = version;
        onChange();
      })
      .catch((err: unknown) => report('change-check', err))
      .finally(() => {
        checking = null;
        if (again) {
          again = false;
          check();
        }
      });
  };
  const unlisten = await store.listen('stories', check);
  const timer = setInterval(check, checkMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await unlisten().catch(() => {});
      await checking;
    },
  };
}
