/**
 * Names shared by the sections that index key=value pairs (attributes, message pairs, format
 * fields): besides their lowercased terms, each lists the values as written that are not
 * lowercase ASCII, so a group-by can show a value as the records spell it without reading them.
 */

/** Named index of key NUL value-as-written terms, each with the records whose first occurrence of the pair was so written. */
export const SPELLINGS_INDEX = "spellings";
/** Named index of keys some of whose as-written values are not in SPELLINGS_INDEX (terms only). */
export const UNSPELLED_INDEX = "unspelled";
