/** What the compiler needs to know about a field: its type, list-ness and libsinsp flags. */
export interface FieldInfo {
  readonly name: string;
  readonly type: string;
  readonly isList: boolean;
  readonly flags: ReadonlySet<string>;
}
