/**
 * File modes as configuration-management tools write them: octal strings
 * (`'0777'`, `"777"`), YAML or Ruby integers (`0777`, and Ansible's trap `777`,
 * which YAML reads as the decimal 777 = mode 1411), and symbolic modes
 * (`o+w`, `a=rwx`, `u=rwx,g=rx,o=rwx`). Pure; used by the Ansible and
 * configuration-management families.
 */

export interface WorldWritable {
  /** The mode as the tool applies it, in octal, or the symbolic clause that grants others write. */
  effective: string;
  /** The text was an unquoted decimal number that the tool reads as something else. */
  decimal: boolean;
}

/**
 * Whether `text` (as written) gives everyone write access. `numeric` says the
 * value was an unquoted number: without a leading zero, YAML and Ruby read it
 * as decimal. Sticky directories (`1777`, the convention for shared scratch
 * space like `/tmp`) are not reported.
 */
export function worldWritableMode(text: string, numeric = false): WorldWritable | undefined {
  const t = text.trim().replace(/^["']|["']$/g, "");
  if (t === "" || t.length > 64) return undefined;
  if (/^0o?[0-7]{1,4}$/i.test(t) || (!numeric && /^[0-7]{3,4}$/.test(t))) {
    const mode = Number.parseInt(t.replace(/^0o/i, ""), 8);
    return octalWritable(mode) ? { effective: mode.toString(8).padStart(4, "0"), decimal: false } : undefined;
  }
  if (numeric && /^[1-9][0-9]{0,4}$/.test(t)) {
    // The sticky bit here is an accident of the decimal reading, not a shared directory.
    const mode = Number.parseInt(t, 10) & 0o7777;
    return (mode & 0o002) !== 0 ? { effective: mode.toString(8).padStart(4, "0"), decimal: true } : undefined;
  }
  return symbolicWritable(t);
}

function octalWritable(mode: number): boolean {
  return (mode & 0o002) !== 0 && (mode & 0o1000) === 0;
}

/** `u=rwx,g=rx,o=rwx`, `a+w`, `+w`, `ugo+rw`: a clause that adds or sets `w` for others. */
function symbolicWritable(t: string): WorldWritable | undefined {
  if (!/^[ugoa]*[-+=][rwxXst]*(?:,[ugoa]*[-+=][rwxXst]*)*$/.test(t)) return undefined;
  let writable: string | undefined;
  let sticky = false;
  for (const clause of t.split(",")) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause)!;
    const who = m[1] === "" ? "a" : m[1]!;
    const forOthers = who.includes("o") || who.includes("a");
    if (m[3]!.includes("t") && (m[2] === "+" || m[2] === "=")) sticky = true;
    if (!forOthers) continue;
    if ((m[2] === "+" || m[2] === "=") && m[3]!.includes("w")) writable = clause;
    else if (m[2] === "-" && m[3]!.includes("w")) writable = undefined;
    else if (m[2] === "=") writable = undefined;
  }
  return writable && !sticky ? { effective: writable, decimal: false } : undefined;
}
