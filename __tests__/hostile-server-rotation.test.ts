// A hostile server, in-process: every server field that could reach a log
// line, the job summary or an output (support/hostile.ts), answered with each
// payload of the corpus, through the action's work and the runner's real
// output layer (support/in-process-step.ts). Each run is read the way the
// runner reads it and must show no command the action did not mean to send, no
// secret left unmasked, no forged output and no outside markup in the summary.
// KINDS selects the fields: the rotation's here, the check's (and the judge's
// own test) in hostile-server-check.test.ts; the two share the work between workers.
// The corpus through the built action, as a process, is faults/hostile.test.ts's.

import { hostileServerCells } from './support/hostile-cells.ts';

hostileServerCells(['rest', 'cloud1']);
