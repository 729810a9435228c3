package io.tessera.spark;

import io.tessera.parallel.ModelState;
import io.tessera.parallel.WorkerStats;

import java.io.Serializable;

/** What one barrier task sends back to the driver: its account of the epoch and, from rank 0, the state at its end. */
record WorkerReport(int rank, String device, String host, WorkerStats stats, ModelState state) implements Serializable {
}
