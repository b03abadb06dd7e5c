/** One deployment check and its outcome. */
export interface Finding {
  check: string;
  ok: boolean;
  /** What was found, or what is wrong and how to fix it. */
  detail: string;
}

export function finding(check: string, ok: boolean, detail = ''): Finding {
  return { check, ok, detail };
}

/** Environment variable names that carry secrets: they must never get a value in an image. */
export const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIAL)/i;
