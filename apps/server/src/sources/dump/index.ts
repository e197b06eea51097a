export {
  DEFAULT_MAX_FILE_BYTES,
  LARGEST_FILE_BYTES,
  type ReadLimits,
  readBoundedFile,
} from "./boundedRead.ts";
export { CaptureError, type CaptureErrorCode } from "./captureError.ts";
export { CAPTURE_FILES, readCaptureFolder, regionOfZone } from "./readCaptureFolder.ts";
