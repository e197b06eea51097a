// Types for nodeCheck.js, which stays plain JavaScript so that an old Node.js can load it.
export function satisfies(version: string, range: string): boolean;
export function nodeVersionProblem(at: {
  version: string;
  range: string;
  checkout: string | null;
}): string | null;
export function checkThisNode(): string | null;
