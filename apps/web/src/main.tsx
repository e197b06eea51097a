import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { ApiError } from "./api/http.ts";
import { App } from "./components/App.tsx";
import { pageLanguage } from "./components/useLanguage.ts";
import { i18n } from "./i18n/i18n.ts";
import { parseViewState } from "./state/viewState.ts";
import "./styles.css";
import "./screens.css";

const client = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx (no access token, an unknown snapshot) will not change by asking again: say it at once.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// The first paint is already in the page's language: the resources are bundled, so this is synchronous.
const firstLanguage = pageLanguage(parseViewState(window.location.hash).state.lang);
void i18n.changeLanguage(firstLanguage);
document.documentElement.lang = firstLanguage;

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);
