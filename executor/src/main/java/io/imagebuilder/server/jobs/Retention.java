package io.imagebuilder.server.jobs;

import io.imagebuilder.server.ServerConfig;
import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Removes the jobs that ended more than the retention period ago, at start and then at every interval, on a
 * thread of its own. Servers sharing a database may all run it: removing a job twice is harmless.
 */
public final class Retention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 100;

    private final ServerConfig.Retention policy;
    private final JobStore store;
    private final JobRemoval removal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "retention");
        t.setDaemon(true);
        return t;
    });

    public Retention(ServerConfig.Retention policy, JobStore store, JobRemoval removal) {
        this.policy = policy;
        this.store = store;
        this.removal = removal;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::removeOld, 0, policy.every().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Removes every job that ended before the retention period; the number removed. */
    public int removeOld() {
        int removed = 0;
        try {
            var cutoff = JobStore.now().minus(Duration.ofDays(policy.days()));
            List<Job> old;
            do {
                old = store.endedBefore(cutoff, BATCH);
                int before = removed;
                for (Job j : old) {
                    if (Thread.currentThread().isInterrupted()) return removed;
                    if (removal.remove(j)) removed++;
                }
                if (removed == before) break; // another server removes the same ones
            } while (old.size() == BATCH);
            if (removed > 0) LOG.info("removed {} jobs that ended more than {} days ago", removed, policy.days());
        } catch (RuntimeException e) {
            LOG.warn("removing old jobs failed, tried again in {}: {}", policy.every(), e.toString());
        }
        return removed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
