// The Action's entry point (action.yml's runs.main, bundled as dist/index.js).
import { run } from "./main.js";

await run();
