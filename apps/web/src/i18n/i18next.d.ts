// Types every t() key from the English resources: a key missing from en.json is a type error.
import "i18next";
import type plannerEn from "../../../../packages/model/src/messages/planner.en.json";
import type reportEn from "../../../../packages/model/src/messages/report.en.json";
import type serverEn from "../../../../packages/model/src/messages/server.en.json";
import type sourceEn from "../../../../packages/model/src/messages/source.en.json";
import type en from "./en.json";
import type labEn from "./lab.en.json";
import type planEn from "./plan.en.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "ui";
    resources: {
      ui: typeof en;
      lab: typeof labEn;
      plan: typeof planEn;
      report: typeof reportEn;
      server: typeof serverEn;
      planner: typeof plannerEn;
      source: typeof sourceEn;
    };
    returnNull: false;
  }
}
