export { CaptureError, type CaptureErrorCode } from "./captureError.ts";
export { CAPTURE_FILES, readCaptureFolder, regionOfZone } from "./readCaptureFolder.ts";
