// "Freeze": stores the live view on the server and hands out a permalink that reopens exactly this state
// (the same view settings in the hash) later, read-only, however the cluster moves on.
import { useState } from "react";
import { type FreezeResult, freezeView, shareSearch } from "../api/sharing.ts";
import "./sharing.css";

interface Props {
  /** The view state's hash ("#group=…"), so the permalink opens the same view. */
  hash: () => string;
  copy: (text: string) => Promise<void>;
}

export function FreezeButton({ hash, copy }: Props) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ link: string; frozen: FreezeResult; copied: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const freeze = async () => {
    setBusy(true);
    setError(null);
    try {
      const frozen = await freezeView();
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
      <button
        type="button"
        onClick={freeze}
        disabled={busy}
        title="Store this view on the server and get a permalink for a review"
        data-testid="freeze"
      >
        {busy ? "Freezing…" : "Freeze"}
      </button>
      {(result || error) && (
        <div
          className="freeze-panel"
          role="dialog"
          aria-label="Snapshot permalink"
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
                  Frozen at {new Date(result.frozen.frozenAt).toLocaleString()}. The link opens this state
                  read-only until {new Date(result.frozen.expiresAt).toLocaleDateString()}
                  {result.copied ? " (copied)" : ""}:
                </p>
                <input
                  readOnly
                  value={result.link}
                  aria-label="Snapshot permalink"
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
                Copy
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
              Close
            </button>
          </div>
        </div>
      )}
    </span>
  );
}
