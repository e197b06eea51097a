// Coalesces many store changes into one controller pass a little later in simulated time, the way an
// informer's work queue batches updates.
import type { SimClock } from "../contracts.ts";

export interface Runner {
  request(): void;
  cancel(): void;
}

export function runSoon(clock: SimClock, delayMs: number, pass: () => void): Runner {
  let cancel: (() => void) | null = null;
  let stopped = false;
  return {
    request() {
      if (cancel || stopped) return;
      cancel = clock.after(delayMs, () => {
        cancel = null;
        pass();
      });
    },
    cancel() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
  };
}
