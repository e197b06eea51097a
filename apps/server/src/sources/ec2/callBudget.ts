// A token bucket of our own in front of EC2's, so that eni-view's Describe calls stay a stated share of the
// account's at any cluster size. EC2 throttles each non-mutating action with a bucket of 100 tokens that
// refills at 20 a second, per account and Region, shared with everything else that calls it: the VPC CNI
// on every node first (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html). Our
// bucket holds a quarter of the budget and refills three quarters of it each minute, so no 60-second
// window can hold more calls than the budget: capacity + refill x 60 s = budget.

/** EC2's refill for a non-mutating action (Describe*), tokens per second. */
export const describeRefillPerSecond = 20;
/** The share of that refill eni-view allows itself by default. */
export const defaultBudgetShare = 0.1;

export class CallBudget {
  /** Calls allowed in any 60 seconds. */
  readonly perMinute: number;
  readonly capacity: number;
  private readonly refillPerMs: number;
  private readonly now: () => number;
  private tokens: number;
  private at: number;
  /** When each of the calls of the last minute was made, oldest first. */
  private readonly recent: number[] = [];

  constructor(perMinute: number, now: () => number = Date.now) {
    if (!(perMinute >= 4))
      throw new Error(`an EC2 call budget needs at least 4 calls a minute, got ${perMinute}`);
    this.perMinute = perMinute;
    this.capacity = Math.floor(perMinute / 4);
    this.refillPerMs = (perMinute - this.capacity) / 60_000;
    this.now = now;
    this.tokens = this.capacity;
    this.at = now();
  }

  /** Budget from a share of EC2's Describe* refill: 0.1 -> 120 calls a minute. */
  static ofShare(share: number, now?: () => number): CallBudget {
    if (!(share > 0 && share <= 1))
      throw new Error(`the EC2 budget share must be above 0 and at most 1, got ${share}`);
    return new CallBudget(Math.round(share * describeRefillPerSecond * 60), now);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.at) * this.refillPerMs);
    this.at = now;
  }

  /** Takes a token when more than `reserve` are left; false means: not now. */
  take(reserve = 0): boolean {
    this.refill();
    if (this.tokens < 1 + reserve) return false;
    this.tokens -= 1;
    return true;
  }

  /** Counts a call made (budgeted or not, retries too): what callsLastMinute reports. */
  record(): void {
    const now = this.now();
    this.recent.push(now);
    while (this.recent.length > 0 && this.recent[0]! <= now - 60_000) this.recent.shift();
  }

  /** Calls made through this budget in the last 60 seconds. */
  callsLastMinute(): number {
    const since = this.now() - 60_000;
    let n = 0;
    for (let i = this.recent.length - 1; i >= 0 && this.recent[i]! > since; i--) n++;
    return n;
  }
}
