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
  constructor(code: CaptureErrorCode, file: string, message: string) {
    super(message);
    this.name = "CaptureError";
    this.code = code;
    this.file = file;
  }
}
