// A rendering failure in one panel shows as a message naming it, not as a blank page.
import { Component, type ReactNode } from "react";
import { t } from "../i18n/i18n.ts";

interface Props {
  name: string;
  children: ReactNode;
}

export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (this.state.error)
      return (
        <div className="banner banner-error" role="alert" data-testid="render-error">
          {t("errors.failedToDraw", { name: this.props.name, error: this.state.error.message })}
        </div>
      );
    return this.props.children;
  }
}
