/** Worker-thread entry of the empty task (echo-task.ts). @module */
import { poolWorker } from "../pool/task-pool.js";
import { echoTask } from "./echo-task.js";

export default poolWorker(echoTask);
