// A recording file as the commands read it (`record summary`, `report --recording`, `serve --recording`):
// opened read-only and checked whole first, so a damaged, cut-short or newer file is one clear line (exit
// 2) and nothing in it is changed.
import type { RecordingInfo } from "@eni-view/model";
import { saidText, t } from "../i18n/cliText.ts";
import { RecordingError, RecordingFileError, RecordingStore } from "../recording/recordingStore.ts";
import { parseMoment, rebuildAt } from "../recording/replay.ts";
import { UsageError } from "./command.ts";

export async function openRecordingFile(path: string): Promise<RecordingStore> {
  try {
    return await RecordingStore.open(path, { readOnly: true });
  } catch (err) {
    if (err instanceof RecordingFileError) throw new UsageError(saidText(err), err.code);
    throw err;
  }
}

/** The recording asked for by id, or the file's one to look at: its newest named recording, else its ring. */
export function pickRecording(store: RecordingStore, id: string | undefined): RecordingInfo {
  const all = store.list();
  if (id !== undefined) {
    const found = all.find((r) => r.id === id);
    if (!found)
      throw new UsageError(
        t("record.noSuchRecording", {
          file: store.path,
          id: id.slice(0, 40),
          list: all.map((r) => `${r.id} (${r.name})`).join(", ") || t("record.none"),
        }),
      );
    return found;
  }
  const chosen = all.find((r) => r.kind === "named" && r.frames > 0) ?? all.find((r) => r.frames > 0);
  if (!chosen) throw new UsageError(t("record.empty", { file: store.path }));
  return chosen;
}

/** The topology at a moment of a file's recording ("start", "end", an ISO time or ms); a moment outside
 * it is a usage error naming the range. */
export async function momentFromFile(store: RecordingStore, recording: RecordingInfo, at: string) {
  try {
    const named = at === "start" ? recording.from : at === "end" ? recording.to : at;
    return await rebuildAt(store, recording.id, parseMoment(named ?? at));
  } catch (err) {
    if (err instanceof RecordingError && err.status < 500) throw new UsageError(saidText(err), err.code);
    if (err instanceof RecordingFileError) throw new UsageError(saidText(err), err.code);
    throw err;
  }
}
