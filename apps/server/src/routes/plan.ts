// GET /api/plan?scale=default/nginx-deployment=50&set=ENABLE_PREFIX_DELEGATION=true: what the cluster
// would look like after the change, planned in a worker thread on what the server holds. A GET like every
// other data route (the same token, the same read-only rule): a plan changes nothing, anywhere. The query
// is the page's link form (model planQuery.ts); each bad part is a 400 naming it.
import {
  type PlanQuery,
  PlanQueryError,
  parsePlanQuery,
  plannerEnglish,
  serverAnswer,
} from "@eni-view/model";
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PlanNotReadyError, type Planner } from "../plan/planner.ts";
import { PlanBusyError } from "../plan/planQueue.ts";
import { PlanFailedError, type PlanReportForm, PlanTimeoutError } from "../plan/planWorker.ts";

function queryParams(request: FastifyRequest): URLSearchParams {
  const at = request.url.indexOf("?");
  return new URLSearchParams(at < 0 ? "" : request.url.slice(at + 1));
}

/** The plan in a request's query: the raw query (a key may repeat), without the access token and the
 * answer's form. */
export function planQueryOf(request: FastifyRequest, param?: string): PlanQuery {
  const params = queryParams(request);
  params.delete("token");
  params.delete("report");
  if (param === undefined) return parsePlanQuery(params);
  return parsePlanQuery(params.get(param) ?? "");
}

/** `report=whole` (the default: the planned cluster in the compact form) or `report=delta` (what it changes
 * in the live topology of the answer's basedOn.seq, which the page holds: model planDelta.ts). */
function reportFormOf(request: FastifyRequest): PlanReportForm {
  const forms = queryParams(request).getAll("report");
  if (forms.length === 0) return "whole";
  if (forms.length === 1 && (forms[0] === "whole" || forms[0] === "delta")) return forms[0];
  throw new PlanQueryError(
    "report",
    plannerEnglish("query.reportForm", { value: forms.join(",").slice(0, 40) }),
  );
}

/** The answer for a plan that did not come back; false when `err` is none of the planner's. */
export function sendPlanError(
  reply: FastifyReply,
  err: unknown,
  log: FastifyBaseLogger,
): FastifyReply | false {
  if (err instanceof PlanQueryError)
    return reply.code(400).send({ error: err.code, field: err.field, message: err.message });
  if (err instanceof PlanFailedError) {
    const f = err.fields;
    if (f.name === "PlanInputError")
      return reply
        .code(400)
        .send({ error: f.code ?? "bad-plan", field: f.field ?? null, message: f.message });
    log.error({ plan: f }, `the planner failed: ${f.message}`);
    return reply.code(500).send({ error: "internal", ...serverAnswer("plan.failed") });
  }
  if (err instanceof PlanBusyError)
    return reply
      .code(429)
      .header("retry-after", String(err.retryAfterS))
      .send({ error: err.code, message: err.message, ...err.said, values: err.said.values ?? {} });
  // The key and values beside the English: the page says them in its language.
  if (err instanceof PlanNotReadyError)
    return reply
      .code(503)
      .header("retry-after", "5")
      .send({ error: err.code, ...serverAnswer("plan.notReady") });
  if (err instanceof PlanTimeoutError)
    return reply
      .code(503)
      .send({ error: err.code, ...serverAnswer("plan.timeout", { seconds: err.seconds }) });
  return false;
}

export function planRoutes(app: FastifyInstance, planner: Planner): void {
  app.get("/api/plan", async (request, reply) => {
    try {
      const answer = await planner.plan(request.ip, planQueryOf(request), reportFormOf(request));
      return reply
        .header("cache-control", "no-store")
        .header(
          "server-timing",
          `base;dur=${answer.baseMs.toFixed(1)}, plan;dur=${answer.planMs.toFixed(1)}, encode;dur=${answer.encodeMs.toFixed(1)}, cpu;dur=${answer.cpuMs.toFixed(1)}`,
        )
        .type("application/json; charset=utf-8")
        .send(answer.json);
    } catch (err) {
      const sent = sendPlanError(reply, err, request.log);
      if (sent) return sent;
      throw err;
    }
  });
}
