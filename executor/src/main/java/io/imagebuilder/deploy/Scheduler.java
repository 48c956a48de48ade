package io.imagebuilder.deploy;

import io.imagebuilder.exec.Cancellation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs work for each node once everything it waits for has succeeded, on up to {@code workers} threads.
 * After the first failure (or a cancellation) nothing new starts; work already running is allowed to finish.
 */
final class Scheduler {

    interface NodeWork {
        void run(String node) throws Exception;
    }

    record Failure(String node, Exception error) {
    }

    private record Outcome(String node, Exception error) {
    }

    private Scheduler() {
    }

    /** @param order every node, in the order ties are broken; {@code waitsFor} may name only nodes in it */
    static List<Failure> run(List<String> order, Map<String, Set<String>> waitsFor, int workers, NodeWork work,
                             Cancellation cancellation) throws InterruptedException {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<String>> unblocks = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        for (String n : order) {
            Set<String> deps = waitsFor.getOrDefault(n, Set.of());
            waiting.put(n, deps.size());
            for (String d : deps) unblocks.computeIfAbsent(d, k -> new ArrayList<>()).add(n);
            if (deps.isEmpty()) ready.add(n);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
            Thread t = new Thread(r, "worker-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CompletionService<Outcome> done = new ExecutorCompletionService<>(pool);
        List<Failure> failures = new ArrayList<>();
        int running = 0;
        try {
            while (true) {
                while (failures.isEmpty() && !cancellation.isCancelled() && !ready.isEmpty() && running < workers) {
                    String node = ready.poll();
                    done.submit(() -> {
                        try {
                            work.run(node);
                            return new Outcome(node, null);
                        } catch (Exception e) {
                            return new Outcome(node, e);
                        }
                    });
                    running++;
                }
                if (running == 0) break;
                Outcome o = done.take().get();
                running--;
                if (o.error() != null) {
                    failures.add(new Failure(o.node(), o.error()));
                    continue;
                }
                for (String next : unblocks.getOrDefault(o.node(), List.of())) {
                    if (waiting.merge(next, -1, Integer::sum) == 0) ready.add(next);
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }
}
