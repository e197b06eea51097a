import { useCallback, useEffect, useState } from "react";
import { parseViewState, serializeViewState, type UrlProblem, type ViewState } from "../state/viewState.ts";

/** The view state read from and written to the location hash (replaceState: panning does not fill history). */
export function useViewState(): [ViewState, (patch: Partial<ViewState>) => void, UrlProblem[]] {
  const [parsed, setParsed] = useState(() => parseViewState(window.location.hash));
  useEffect(() => {
    const onHash = () => setParsed(parseViewState(window.location.hash));
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const update = useCallback((patch: Partial<ViewState>) => {
    setParsed((prev) => {
      const state = { ...prev.state, ...patch };
      const hash = serializeViewState(state);
      window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}${hash}`);
      return { state, problems: prev.problems };
    });
  }, []);
  return [parsed.state, update, parsed.problems];
}
