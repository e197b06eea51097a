import type { ThemeName } from "../draw/theme.ts";
import { useMediaQuery } from "./useMediaQuery.ts";

export function useSystemTheme(): ThemeName {
  return useMediaQuery("(prefers-color-scheme: dark)") ? "dark" : "light";
}
