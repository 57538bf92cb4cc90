// Same-run reference for the aggregate bench (run under node: @duckdb/node-api is a native
// module): loads the corpus lines into an in-memory DuckDB table with the group field already
// extracted, then times `SELECT field, count(*) ... GROUP BY field` over the loaded table.
// Usage: node duckdb-count.mjs FILE FIELD RUNS  → one JSON line {loadMs, runs: [ms...], groups}.
import { DuckDBInstance } from "@duckdb/node-api";

const [file, field, runs] = process.argv.slice(2);
const db = await DuckDBInstance.create(":memory:");
const c = await db.connect();
const t0 = performance.now();
// Every line is one VARCHAR (a delimiter no line holds, no quoting); the field is taken the way
// GastroLog finds it in these lines: logfmt `field=value` or JSON `"field":"value"`.
const pattern = `(?:^|[\\s,{])"?${field}"?[=:]"?([A-Za-z0-9_.-]+)`;
await c.run(
  `CREATE TABLE logs AS SELECT line, nullif(regexp_extract(line, '${pattern}', 1), '') AS ${field} ` +
    `FROM read_csv('${file}', columns={'line': 'VARCHAR'}, header=false, delim='\u0001', quote='', escape='', auto_detect=false, max_line_size=1048576)`,
);
const loadMs = performance.now() - t0;
const times = [];
let groups = [];
for (let i = 0; i < Number(runs); i++) {
  const t = performance.now();
  const r = await c.runAndReadAll(`SELECT ${field}, count(*) AS n FROM logs GROUP BY ${field} ORDER BY ${field} NULLS LAST`);
  times.push(performance.now() - t);
  groups = r.getRows().map(([k, n]) => [k, Number(n)]);
}
console.log(JSON.stringify({ loadMs, runs: times, groups }));
