// The CLI's language: `--lang en|ko` anywhere on the command line, else the locale the environment names
// (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them: "ko_KR.UTF-8" is Korean, "C" is English).
import { UsageError } from "../commands/command.ts";
import { setCliLanguage, t } from "./cliText.ts";

export const cliLanguages = ["en", "ko"] as const;
export type CliLanguage = (typeof cliLanguages)[number];

function fromLocale(locale: string): CliLanguage {
  return locale.toLowerCase().split(/[_.@-]/)[0] === "ko" ? "ko" : "en";
}

/** The language and the arguments without `--lang X` / `--lang=X` (which no command parses itself). */
export function cliLanguage(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { lang: CliLanguage; argv: string[] } {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== "");
  const fromEnv = locale ? fromLocale(locale) : "en";
  // A --lang the CLI cannot give is said in the language the environment asks for.
  const refuse = (message: () => string) => {
    setCliLanguage(fromEnv);
    return new UsageError(message());
  };
  const rest: string[] = [];
  let picked: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === "--lang") {
      picked = argv[i + 1];
      if (picked === undefined) throw refuse(() => t("args.langNeedsValue"));
      i++;
    } else if (a.startsWith("--lang=")) picked = a.slice("--lang=".length);
    else rest.push(a);
  }
  if (picked !== undefined) {
    const lang = picked.trim().toLowerCase();
    if (!(cliLanguages as readonly string[]).includes(lang))
      throw refuse(() => t("args.langChoice", { choices: cliLanguages.join(", "), value: picked }));
    return { lang: lang as CliLanguage, argv: rest };
  }
  return { lang: fromEnv, argv: rest };
}
