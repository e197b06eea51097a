// An error whose words are a key of the model's server catalogue: its message is the English (logs, API
// clients, tests), and `said` the key and values the CLI (cliText.ts saidText) and the page say in their
// own language. Routes send `said` beside the message.
import { type ServerMessage, type ServerValues, serverEnglish } from "@eni-view/model";

export class SaidError extends Error {
  readonly said: ServerMessage;
  constructor(key: string, values: ServerValues = {}) {
    super(serverEnglish(key, values));
    this.said = { key, values };
  }
}
