// The history behind the subnets' exhaustion forecasts: each mapped subnet's free addresses and free /28s,
// sampled with the feed's history points and kept for a window (30 min by default), and the forecast the
// samples give. Bounded: one sample per subnet per step, only for the subnets in use.
import {
  forecastExhaustion,
  type SpaceSample,
  type SubnetForecast,
  type SubnetReport,
} from "@eni-view/model";

export class SubnetHistory {
  private readonly windowMs: number;
  private readonly samples = new Map<string, SpaceSample[]>();
  private forecasts = new Map<string, SubnetForecast | null>();
  /** Increases whenever the forecasts are computed again. */
  version = 0;

  constructor(windowMs = 30 * 60_000) {
    this.windowMs = windowMs;
  }

  record(now: number, subnets: readonly SubnetReport[]): void {
    const seen = new Set<string>();
    for (const s of subnets) {
      if (!s.space) continue;
      seen.add(s.id);
      let list = this.samples.get(s.id);
      if (list === undefined) {
        list = [];
        this.samples.set(s.id, list);
      }
      list.push({ t: now, free: s.space.free, freeBlocks28: s.space.freeBlocks28 });
      const from = list.findIndex((p) => p.t >= now - this.windowMs);
      if (from > 0) list.splice(0, from);
    }
    // A subnet no longer in use leaves with its samples.
    for (const id of this.samples.keys()) if (!seen.has(id)) this.samples.delete(id);
    this.forecasts = new Map([...this.samples].map(([id, list]) => [id, forecastExhaustion(list)]));
    this.version++;
  }

  forecast(subnetId: string): SubnetForecast | null {
    return this.forecasts.get(subnetId) ?? null;
  }

  /** The subnets with their forecasts (those with an address map); the same array while nothing changed. */
  private cached: { subnets: readonly SubnetReport[]; version: number; out: SubnetReport[] } | null = null;

  withForecasts(subnets: SubnetReport[]): SubnetReport[] {
    if (this.cached?.subnets === subnets && this.cached.version === this.version) return this.cached.out;
    const out = subnets.map((s) => (s.space ? { ...s, forecast: this.forecast(s.id) } : s));
    this.cached = { subnets, version: this.version, out };
    return out;
  }
}
