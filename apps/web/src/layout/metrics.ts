// Geometry of a node box in layout units (CSS pixels at zoom 1). Every cell sits on one pitch grid so
// the renderer and the hit-tester agree on where a cell is without storing rectangles twice.

export const CELL = 9;
export const GAP = 2;
export const PITCH = CELL + GAP;
export const PAD = 6;
/** Two text lines: short name + status, then type · AZ · pods. */
export const HEADER_H = 30;
/** The ENI's own caption line above its cells (device, id, subnet). */
export const ROW_LABEL_H = 11;
export const ROW_GAP = 3;
/** Slot columns right of the primary cell; wide enough for the header text. */
export const MIN_COLS = 12;
/** A /28 is 16 addresses: one line per prefix under prefix delegation. */
export const PREFIX_COLS = 16;
/** Slot columns never exceed this; longer ENIs wrap. */
export const MAX_COLS = 16;
/** Dimmed headroom cells are drawn only up to this many per ENI; past it a count is shown instead. */
export const HEADROOM_CELLS_MAX = 64;
export const BOX_GAP = 10;
export const GROUP_HEADER_H = 26;
export const GROUP_GAP = 28;
