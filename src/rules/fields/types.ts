/** A field as Falco lists it (`falco --list`), with its libsinsp type and flags. */
export interface FieldData {
  readonly name: string;
  /** libsinsp parameter type without the LIST() wrapper: CHARBUF, UINT64, IPNET, ... */
  readonly type: string;
  readonly isList?: boolean;
  readonly desc: string;
  /** Flags Falco prints in front of the description: ARG_REQUIRED, FILTER_ONLY, EPF_NO_RHS, ... */
  readonly flags?: readonly string[];
}

export interface FieldClassData {
  readonly name: string;
  readonly shortDesc?: string;
  readonly desc?: string;
  readonly eventSources: readonly string[];
  /** Set when the class comes from a plugin (printed as `<name> (plugin)`). */
  readonly plugin?: boolean;
  readonly fields: readonly FieldData[];
}
