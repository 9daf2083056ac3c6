/**
 * Commands the kit prints for a person to paste (the registration command for the offline machine, the
 * fixes of problems) are built from values that came from config. Every such value is written as one
 * POSIX shell word: bare when it holds only characters no shell treats specially, otherwise in single
 * quotes, inside which sh and bash give no character a meaning (POSIX XCU 2.2.2), an embedded single
 * quote written as '\''. Placeholders (`<pledge in lovelace>`) are values too: unquoted, `<` and `>`
 * are redirections.
 */

/** Characters that mean nothing to sh or bash anywhere in a word (no glob, no tilde, no expansion). */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `value` as one shell word, in single quotes. */
export function singleQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** `value` as one shell word: bare when nothing in it is special to a shell, otherwise single-quoted. */
export function shellQuote(value: string): string {
  return BARE.test(value) ? value : singleQuote(value);
}

/**
 * An example value of a fix as one shell word: quoted like any value, except examples that are meant
 * as shell syntax: a redirection from a file (`< kes.skey`) or a double-quoted command substitution
 * (`"$(cat ~/.ssh/id_ed25519.pub)"`), which the kit writes itself and never builds from config.
 */
export function exampleWord(example: string): string {
  return /^< [A-Za-z0-9._/-]+$/.test(example) || /^"\$\(cat [A-Za-z0-9._/~-]+\)"$/.test(example) ? example : shellQuote(example);
}

/** A command line of shell words: `program` and its arguments, each quoted as needed. */
export function shellCommand(...words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
