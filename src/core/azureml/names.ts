// Names Azure ML accepts for what the extension creates, with the rule in words for input boxes. The
// patterns are the REST specification's (Microsoft.MachineLearningServices 2024-04-01): data asset,
// datastore and schedule names share `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$` (no dots, no spaces).
const RESOURCE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;
const RULE = "a letter or digit first, then letters, digits, '-' and '_' (no dots or spaces), at most 255 characters";

export type NamedKind = "data asset" | "datastore" | "monitor";

/** Why a name is refused, in words; undefined when Azure ML accepts it. */
export function nameProblem(kind: NamedKind, name: string): string | undefined {
  return RESOURCE_NAME.test(name) ? undefined : `A ${kind} name is ${RULE}.`;
}

/** The closest accepted name: other characters become '-', leading ones that cannot start a name are dropped. */
export function acceptedName(text: string, fallback: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 255).replace(/-+$/, "");
  return cleaned || fallback;
}
