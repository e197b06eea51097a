// Types every t() key of the CLI from its English catalogue: a key missing there is a type error.
import "i18next";
import type plannerEn from "../../../../packages/model/src/messages/planner.en.json";
import type reportEn from "../../../../packages/model/src/messages/report.en.json";
import type serverEn from "../../../../packages/model/src/messages/server.en.json";
import type sourceEn from "../../../../packages/model/src/messages/source.en.json";
import type en from "./cli.en.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "cli";
    resources: {
      cli: typeof en;
      report: typeof reportEn;
      server: typeof serverEn;
      planner: typeof plannerEn;
      source: typeof sourceEn;
    };
    returnNull: false;
  }
}
