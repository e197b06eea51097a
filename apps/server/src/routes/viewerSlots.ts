// Who gets a stream. 200 streams that never read, from one client, used to hold every slot and lock real
// viewers out with 503, for good. Now: a cap per client address and one per access token (when the server
// has several, one shared link cannot take every slot), a stream whose socket has taken nothing
// for a while is dropped (with a reason it may still read), and when the server is full a newcomer takes
// the place of the stream that has been stuck longest, so a viewer that reads always gets in. Each reason
// is a key of the model's server catalogue with its values (the page says it in its language) and its
// English text (the log, the JSON answer of a script).
import { type ServerMessage, serverMessage } from "@eni-view/model";

type Reason = ServerMessage & { text: string };
const reason = (key: string, values: Record<string, string | number> = {}): Reason =>
  serverMessage(`stream.reason.${key}`, values);

export interface ViewerLimits {
  /** Streams at once, in all. */
  max: number;
  /** Streams at once from one client address. */
  perAddress: number;
  /** Streams at once holding one access token (the app sets it to `max` when there is a single token). */
  perToken: number;
  /** A stream whose socket has taken nothing for this long is dropped. */
  stalledDropMs: number;
  /** ...and one stuck this long gives its place to a newcomer when the server (or its address) is full. */
  stalledYieldMs: number;
}

export const defaultViewerLimits: ViewerLimits = {
  max: 200,
  perAddress: 20,
  perToken: 100,
  stalledDropMs: 60_000,
  stalledYieldMs: 5_000,
};

export interface Viewer {
  readonly address: string;
  /** Which access token the stream was opened with (a label, never the token), or null without tokens. */
  readonly token: string | null;
  /** When the stream began waiting for its socket to take more (null while it keeps up). */
  stuckSince(): number | null;
  /** Ends the stream, telling it why when it can still read. */
  drop(reason: Reason): void;
}

export type Admission =
  | { ok: true }
  | { ok: false; status: 429 | 503; error: string; reason: string; message: ServerMessage };

function refusal(status: 429 | 503, error: string, values: Record<string, string | number>): Admission {
  const r = reason(error, values);
  return { ok: false, status, error, reason: r.text, message: { key: r.key, values: r.values ?? {} } };
}

export class ViewerSlots {
  private readonly limits: ViewerLimits;
  private readonly now: () => number;
  private readonly viewers = new Set<Viewer>();

  constructor(limits: Partial<ViewerLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...defaultViewerLimits, ...limits };
    this.now = now;
  }

  get size(): number {
    return this.viewers.size;
  }

  /** The one stuck longest among `among`, if stuck for at least `ms`. */
  private mostStuck(among: Iterable<Viewer>, ms: number): Viewer | null {
    let worst: Viewer | null = null;
    let worstSince = Number.POSITIVE_INFINITY;
    const now = this.now();
    for (const v of among) {
      const since = v.stuckSince();
      if (since !== null && now - since >= ms && since < worstSince) {
        worst = v;
        worstSince = since;
      }
    }
    return worst;
  }

  /** Whether a newcomer from `address` (holding access token `token`) may have a stream; makes room by
   * dropping a stuck one if it can. */
  admit(address: string, token: string | null = null): Admission {
    const mine = [...this.viewers].filter((v) => v.address === address);
    if (mine.length >= this.limits.perAddress) {
      const stuck = this.mostStuck(mine, this.limits.stalledYieldMs);
      if (!stuck) {
        return refusal(429, "too-many-streams-from-address", { max: this.limits.perAddress, address });
      }
      this.release(stuck, reason("replaced-address"));
    }
    if (token !== null) {
      const shared = [...this.viewers].filter((v) => v.token === token);
      if (shared.length >= this.limits.perToken) {
        const stuck = this.mostStuck(shared, this.limits.stalledYieldMs);
        if (!stuck) {
          return refusal(429, "too-many-streams-for-token", { max: this.limits.perToken, token });
        }
        this.release(stuck, reason("replaced-token"));
      }
    }
    if (this.viewers.size >= this.limits.max) {
      const stuck = this.mostStuck(this.viewers, this.limits.stalledYieldMs);
      if (!stuck) {
        return refusal(503, "too-many-viewers", { max: this.limits.max });
      }
      this.release(stuck, reason("replaced-full"));
    }
    return { ok: true };
  }

  add(viewer: Viewer): void {
    this.viewers.add(viewer);
  }

  remove(viewer: Viewer): void {
    this.viewers.delete(viewer);
  }

  /** Drops every stream whose socket has taken nothing for stalledDropMs; returns how many. */
  sweep(): number {
    const now = this.now();
    let dropped = 0;
    for (const v of [...this.viewers]) {
      const since = v.stuckSince();
      if (since !== null && now - since >= this.limits.stalledDropMs) {
        this.release(v, reason("stalled", { seconds: Math.round(this.limits.stalledDropMs / 1000) }));
        dropped++;
      }
    }
    return dropped;
  }

  private release(viewer: Viewer, why: Reason): void {
    this.viewers.delete(viewer);
    viewer.drop(why);
  }
}
