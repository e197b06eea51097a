// Recordings of the topology over time (recording/): list them, start and stop a named one, delete one,
// and read one back: its timeline (totals and events), the topology at any moment. Like Freeze, the
// writes take no topology from the client (only a name) and reach only eni-view's own file.
import { encodeTopology, serverAnswer } from "@eni-view/model";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Recorder } from "../recording/recorder.ts";
import { RecordingError, RecordingFileError, type RecordingStore } from "../recording/recordingStore.ts";
import { parseMoment, rebuildAt, timelineOf } from "../recording/replay.ts";
import { summaryMarkdown, summaryOf } from "../recording/summary.ts";
import { parseDuration } from "../snapshots/store.ts";

const idParam = { type: "object", properties: { id: { type: "string", pattern: "^[A-Za-z0-9_-]{1,40}$" } } };

// Every refusal carries the catalogue key and values beside its English: the page says it in its language.
function fail(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof RecordingError)
    return reply.code(err.status).send({ error: err.code, message: err.message, ...err.said });
  if (err instanceof RecordingFileError)
    return reply.code(422).send({ error: "recording-damaged", message: err.message, ...err.said });
  throw err;
}

/** Another site's page must not make a visitor's browser start, stop or delete recordings. */
function crossSite(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  const site = request.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site")
    return reply.code(403).send({ error: "forbidden", ...serverAnswer("recording.forbidden") });
  return null;
}

/** What the routes read recordings through: the recorder of a live server, or a recording file opened
 * read-only (`serve --recording FILE`), which offers no start, stop or delete. */
export type RecordingAccess = Pick<Recorder, "store" | "flush" | "activeIds">;

/** A recording file served as it is: nothing is written to it. */
export function readOnlyRecordings(store: RecordingStore): RecordingAccess {
  return { store, flush: async () => {}, activeIds: () => new Set<string>() };
}

/** Starting, stopping and deleting recordings: only with a recorder writing to its own store. */
function writeRoutes(app: FastifyInstance, recorder: Recorder): void {
  app.post<{ Body: { name?: unknown; ttl?: unknown } | undefined }>(
    "/api/recordings",
    async (request, reply) => {
      const refused = crossSite(request, reply);
      if (refused) return refused;
      const body = request.body ?? {};
      try {
        let ttlMs: number | undefined;
        if (body.ttl !== undefined) {
          try {
            ttlMs = parseDuration(String(body.ttl), "ttl");
          } catch {
            throw new RecordingError(400, "bad-request", "duration.invalid", {
              name: "ttl",
              value: String(body.ttl),
            });
          }
        }
        const info = await recorder.startNamed(body.name as string, ttlMs);
        return reply.code(201).header("cache-control", "no-store").send(info);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    "/api/recordings/:id/stop",
    { schema: { params: idParam } },
    async (request, reply) => {
      const refused = crossSite(request, reply);
      if (refused) return refused;
      try {
        return reply.send(await recorder.stopNamed(request.params.id));
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/recordings/:id",
    { schema: { params: idParam } },
    async (request, reply) => {
      const refused = crossSite(request, reply);
      if (refused) return refused;
      if (!(await recorder.delete(request.params.id)))
        return reply.code(404).send({ error: "recording-not-found", ...serverAnswer("recording.notFound") });
      return reply.code(204).send();
    },
  );
}

export function recordingRoutes(app: FastifyInstance, recorder: RecordingAccess): void {
  const { store } = recorder;

  app.get("/api/recordings", async (_request, reply) => {
    await recorder.flush();
    return reply.header("cache-control", "no-store").send({ recordings: store.list(recorder.activeIds()) });
  });

  if (recorder instanceof Recorder) writeRoutes(app, recorder);

  app.get<{ Params: { id: string } }>(
    "/api/recordings/:id/timeline",
    { schema: { params: idParam, querystring: { type: "object", additionalProperties: false } } },
    async (request, reply) => {
      try {
        await recorder.flush();
        return reply
          .header("cache-control", "no-store")
          .send(timelineOf(store, request.params.id, recorder.activeIds()));
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.get<{ Params: { id: string }; Querystring: { format?: "json" | "md" } }>(
    "/api/recordings/:id/summary",
    {
      schema: {
        params: idParam,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { format: { type: "string", enum: ["json", "md"] } },
        },
      },
    },
    async (request, reply) => {
      try {
        await recorder.flush();
        const summary = await summaryOf(store, request.params.id, recorder.activeIds());
        reply.header("cache-control", "no-store");
        if (request.query.format === "md")
          return reply.type("text/markdown; charset=utf-8").send(summaryMarkdown(summary));
        return reply.send(summary);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );

  app.get<{ Params: { id: string }; Querystring: { at: string; encoding?: "compact" | "json" } }>(
    "/api/recordings/:id/topology",
    {
      schema: {
        params: idParam,
        querystring: {
          type: "object",
          required: ["at"],
          additionalProperties: false,
          properties: {
            at: { type: "string", maxLength: 40 },
            encoding: { type: "string", enum: ["compact", "json"] },
          },
        },
      },
    },
    async (request, reply) => {
      try {
        const { id } = request.params;
        await recorder.flush();
        const topology = await rebuildAt(store, id, parseMoment(request.query.at), {
          recording: recorder.activeIds().has(id),
        });
        reply.header("cache-control", "no-store");
        // The compact form keeps extra fields (`recorded`) as they are: decodeTopology gives them back.
        return reply.send(request.query.encoding === "compact" ? encodeTopology(topology) : topology);
      } catch (err) {
        return fail(reply, err);
      }
    },
  );
}
