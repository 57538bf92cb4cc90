/**
 * Preloaded before every test file (bunfig.toml): property tests use a fixed fast-check seed so
 * CI runs are reproducible. Set FC_SEED=random (or a number) to explore other inputs locally.
 */

import fc from "fast-check";

const requested = process.env.FC_SEED;
if (requested !== "random") fc.configureGlobal({ seed: requested === undefined ? 20261126 : Number(requested) });
