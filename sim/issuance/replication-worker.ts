/** Worker-thread entry for issuance replications (piscina; see engine/pool). @module */
import { poolWorker } from "../../engine/pool/task-pool.js";
import { runReplication } from "./replication.js";

export default poolWorker(runReplication);
