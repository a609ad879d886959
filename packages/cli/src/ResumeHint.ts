/**
 * How to take a thread back to Codex: `cd <cwd> && codex resume <id>`, each word quoted for a POSIX
 * shell so the line can be pasted as it is (a folder with spaces or quotes included). Codex resumes
 * a thread in the folder it runs in, hence the `cd`. Text only; nothing here runs a command.
 */

/** A word for a POSIX shell: as it is when plain, else single-quoted. */
export const quote = (s: string): string => (s !== "" && /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`)

/** The command line that resumes `id` in Codex, from `cwd` when it is known. */
export const line = (id: string, cwd: string | null | undefined): string =>
  cwd === null || cwd === undefined || cwd === "" ? `codex resume ${quote(id)}` : `cd ${quote(cwd)} && codex resume ${quote(id)}`
