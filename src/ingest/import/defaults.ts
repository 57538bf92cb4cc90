/** Import settings the CLI's help shows without loading the importer itself. */

/** Records per store.append call unless told otherwise. */
export const DEFAULT_STORE_BATCH = 8192;
