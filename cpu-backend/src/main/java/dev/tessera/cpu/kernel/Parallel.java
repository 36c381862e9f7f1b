package dev.tessera.cpu.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A shared pool that runs numbered tasks or splits a range of elements. Work is only split above
 * {@link #GRAIN} elements; callers that combine partial results must partition by fixed sizes, never
 * by the thread count, so that 1 and N threads give identical bits.
 */
public final class Parallel {
    /** Below this many elements a kernel runs on the calling thread. */
    public static final long GRAIN = 32_768;
    /** Times the caller polls for the last tasks (tens of microseconds) before it parks, which costs a wake-up. */
    private static final int SPINS = 1000;

    private static final ThreadLocal<Boolean> WORKER = ThreadLocal.withInitial(() -> false);
    private static volatile int threads = initialThreads();
    private static volatile ExecutorService pool;

    private Parallel() {
    }

    /** Body of a range task: elements [start, end). */
    @FunctionalInterface
    public interface Range {
        void run(long start, long end);
    }

    /** Body of a numbered task. */
    @FunctionalInterface
    public interface Task {
        void run(int index);
    }

    private static int initialThreads() {
        String p = System.getProperty("tessera.cpu.threads");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("tessera.cpu.threads: expected an integer >= 1 — got '" + p + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Threads used by kernels (the caller counts as one). */
    public static int threads() {
        return threads;
    }

    /** Changes the number of threads; later kernels use the new count. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("cpu.setThreads: thread count must be >= 1 — got " + n);
        }
        if (n != threads) {
            ExecutorService old = pool;
            pool = null;
            threads = n;
            if (old != null) {
                old.shutdown();
            }
        }
    }

    private static synchronized ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            AtomicInteger id = new AtomicInteger();
            pool = p = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Thread t = new Thread(() -> {
                    WORKER.set(true);
                    r.run();
                }, "tessera-cpu-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return p;
    }

    /** Runs body(0..tasks-1), spread over the pool; exceptions are rethrown on the caller. */
    public static void forTasks(int tasks, Task body) {
        int workers = Math.min(tasks, threads);
        if (workers <= 1 || WORKER.get()) {
            for (int i = 0; i < tasks; i++) {
                body.run(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Counts tasks, not workers: when the caller has run every task before a worker woke up, it
        // returns at once instead of waiting for that worker to wake, find nothing and report back.
        CountDownLatch done = new CountDownLatch(tasks);
        Runnable loop = () -> {
            int i;
            while ((i = next.getAndIncrement()) < tasks) {
                try {
                    if (failure.get() == null) {
                        body.run(i);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        };
        ExecutorService p = pool();
        for (int w = 1; w < workers; w++) {
            p.execute(loop);
        }
        loop.run();
        try {
            for (int spin = 0; spin < SPINS && done.getCount() > 0; spin++) {
                Thread.onSpinWait();
            }
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cpu: interrupted while waiting for kernel threads", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Splits [0, n) into at most {@link #threads()} contiguous ranges of at least {@code grain} elements. */
    public static void forRange(long n, long grain, Range body) {
        if (n <= 0) {
            return;
        }
        int tasks = (int) Math.min(threads, Math.max(1, n / Math.max(1, grain)));
        if (tasks <= 1) {
            body.run(0, n);
            return;
        }
        forTasks(tasks, i -> body.run(n * i / tasks, n * (i + 1) / tasks));
    }

    /** {@link #forRange(long, long, Range)} with the default grain. */
    public static void forRange(long n, Range body) {
        forRange(n, GRAIN, body);
    }
}
