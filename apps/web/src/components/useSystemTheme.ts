import type { ThemeName } from "../draw/theme.ts";
import { useMediaQuery } from "./useMediaQuery.ts";

/** The theme the system asks for: high contrast when it prefers more contrast, else dark or light. */
export function useSystemTheme(): ThemeName {
  const more = useMediaQuery("(prefers-contrast: more)");
  const dark = useMediaQuery("(prefers-color-scheme: dark)");
  return more ? "contrast" : dark ? "dark" : "light";
}
