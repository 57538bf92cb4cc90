/**
 * Test helper run as a separate process by sqlite-store.test.ts: opens the config database at
 * argv[2] and applies the JSON config in argv[3] as author "child". Not imported by src.
 */

import { openSqliteConfigStore } from "./sqlite-store.ts";

const [path, json] = process.argv.slice(2);
const store = openSqliteConfigStore(path!);
store.apply(JSON.parse(json!), { author: "child", reason: `pid ${process.pid}` });
store.close();
