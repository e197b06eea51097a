// "Freeze": stores the live view on the server and hands out a permalink that reopens exactly this state
// (the same view settings in the hash) later, read-only, however the cluster moves on.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type FreezeResult, freezeView, shareSearch } from "../api/sharing.ts";
import { formatDate, formatDateTime } from "../i18n/format.ts";
import "./sharing.css";

interface Props {
  /** The view state's hash ("#group=…"), so the permalink opens the same view. */
  hash: () => string;
  copy: (text: string) => Promise<void>;
  /** The plan in view (its query): frozen with the view, planned again by the server. */
  plan?: string | null;
}

export function FreezeButton({ hash, copy, plan = null }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ link: string; frozen: FreezeResult; copied: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const freeze = async () => {
    setBusy(true);
    setError(null);
    try {
      const frozen = await freezeView(plan);
      const { origin, pathname, search } = window.location;
      const link = `${origin}${pathname}${shareSearch(search, frozen.id)}${hash()}`;
      let copied = true;
      await copy(link).catch(() => {
        copied = false;
      });
      setResult({ link, frozen, copied });
    } catch (e) {
      setError((e as Error).message);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="freeze">
      <button type="button" onClick={freeze} disabled={busy} title={t("freeze.title")} data-testid="freeze">
        {busy ? t("freeze.busy") : t("freeze.button")}
      </button>
      {(result || error) && (
        <div
          className="freeze-panel"
          role="dialog"
          aria-label={t("freeze.dialog")}
          data-testid="freeze-panel"
        >
          {error ? (
            <p className="freeze-error" data-testid="freeze-error">
              {error}
            </p>
          ) : (
            result && (
              <>
                <p>
                  {t(result.copied ? "freeze.doneCopied" : "freeze.done", {
                    at: formatDateTime(result.frozen.frozenAt),
                    until: formatDate(result.frozen.expiresAt),
                  })}
                </p>
                <input
                  readOnly
                  value={result.link}
                  aria-label={t("freeze.dialog")}
                  data-testid="freeze-link"
                  onFocus={(e) => e.target.select()}
                />
              </>
            )
          )}
          <div className="freeze-actions">
            {result && (
              <button
                type="button"
                onClick={() =>
                  copy(result.link).then(
                    () => setResult({ ...result, copied: true }),
                    (e: Error) => setError(e.message),
                  )
                }
                data-testid="freeze-copy"
              >
                {t("freeze.copy")}
              </button>
            )}
            <button
              type="button"
              onClick={() => {
                setResult(null);
                setError(null);
              }}
              data-testid="freeze-close"
            >
              {t("freeze.close")}
            </button>
          </div>
        </div>
      )}
    </span>
  );
}
