export type CaptureErrorCode =
  | "not-a-folder"
  | "missing-file"
  | "unreadable"
  | "not-a-file"
  | "too-large"
  | "stalled"
  | "empty-file"
  | "not-json"
  | "truncated-json"
  | "wrong-document"
  | "incomplete"
  | "bad-object";

/** A capture folder that cannot be read; the message names the file and what is wrong with it. */
export class CaptureError extends Error {
  readonly code: CaptureErrorCode;
  /** The file (or folder) at fault. */
  readonly file: string;
  /** What the message names (file, folder, command), for saying it in another language; absent when the
   * message carries details only English gives (a JSON parser's position, a document's description). */
  readonly values: Record<string, string> | undefined;
  constructor(code: CaptureErrorCode, file: string, message: string, values?: Record<string, string>) {
    super(message);
    this.name = "CaptureError";
    this.code = code;
    this.file = file;
    this.values = values;
  }
}
