package io.tessera.opencl.aparapi;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives the JVM its signal handlers back after an OpenCL driver built on LLVM (PoCL, and others that embed LLVM)
 * has replaced them.
 *
 * <p><b>The hazard.</b> HotSpot takes SIGSEGV on purpose all the time: safepoint polls in compiled loops, implicit
 * null checks, stack banging. LLVM, when PoCL initialises (PoCL forces it, before installing its own SIGFPE handler)
 * and again whenever clang compiles a program, installs one-shot crash handlers
 * ({@code SA_RESETHAND | SA_NODEFER}) for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGXFSZ and others, remembering the JVM's
 * as the previous ones. The next fault the JVM expects lands in LLVM's handler; the kernel has already reset SIGSEGV
 * to its default action, and the handler puts the JVM's handlers back a few system calls later. A second Java thread
 * faulting in that window (two threads polling the same safepoint) gets the default action: the process dies with
 * SIGSEGV, exit code 139, and no {@code hs_err} file, since the JVM never sees the signal.
 *
 * <p><b>The remedy.</b> LLVM's handlers uninstall themselves on the first signal they receive, whatever it is. This
 * class sends one to the calling thread right after every native call that may have let LLVM install them
 * ({@link #restore()}): SIGXFSZ, the one signal of LLVM's set that is harmless for the JVM, which ignores it.
 * SIGXFSZ gets a no-op Java handler first ({@link #install()}, before OpenCL is loaded), because only a signal with a
 * Java handler can be raised from Java; the effect of a real SIGXFSZ is unchanged (a write past the file-size limit
 * fails with {@code EFBIG} instead of killing the process). What remains is the time inside the native call itself,
 * between LLVM installing its handlers and the call returning; only
 * {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so} (HotSpot's signal chaining, which keeps the JVM's handlers first)
 * closes that too, and the module's tests run with it.
 *
 * <p>Thread-safe. {@code sun.misc.Signal} (module {@code jdk.unsupported}) is reached reflectively, since javac
 * warns about every direct use; without it (a run-time image without {@code jdk.unsupported}) or where the platform
 * has no SIGXFSZ (Windows), the guard does nothing.
 */
final class SignalGuard {
    private static final AtomicLong RAISED = new AtomicLong();
    private static final AtomicLong HANDLED = new AtomicLong();
    private static volatile Object xfsz;
    private static volatile MethodHandle raise;
    private static volatile String unavailable = "not installed";

    private SignalGuard() {
    }

    /** Gives SIGXFSZ a no-op Java handler, once; to be called before any OpenCL driver is loaded. */
    static synchronized void install() {
        if (xfsz != null) {
            return;
        }
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object signal = lookup.findConstructor(signalClass, MethodType.methodType(void.class, String.class)).invoke("XFSZ");
            Object handler = Proxy.newProxyInstance(SignalGuard.class.getClassLoader(), new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "handle" -> {
                        HANDLED.incrementAndGet();
                        return null;
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    default -> {
                        return "SignalGuard";
                    }
                }
            });
            lookup.findStatic(signalClass, "handle", MethodType.methodType(handlerClass, signalClass, handlerClass)).invoke(signal, handler);
            raise = lookup.findStatic(signalClass, "raise", MethodType.methodType(void.class, signalClass));
            xfsz = signal;
            unavailable = null;
        } catch (Throwable e) {
            if (e instanceof Error && !(e instanceof LinkageError)) {
                throw (Error) e;
            }
            unavailable = e.toString();
        }
    }

    /**
     * Makes LLVM's one-shot handlers, if they are installed, uninstall themselves and put the JVM's back. Call right
     * after a native call that may have loaded the driver or compiled a program. Costs a system call, plus a short
     * thread on the JVM's signal dispatcher when no LLVM handler was there to consume the signal.
     */
    static void restore() {
        Object signal = xfsz;
        if (signal != null) {
            RAISED.incrementAndGet();
            try {
                raise.invoke(signal);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Whether HotSpot's signal chaining library is loaded ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}); Linux only. */
    static boolean chainingPreloaded() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libjsig");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** One phrase for {@code Backend.details()}: how the JVM's signal handlers are protected. */
    static String describe() {
        if (chainingPreloaded()) {
            return "JVM signal handlers kept first by libjsig";
        }
        return active() ? "JVM signal handlers restored after driver calls (preload libjsig to close the rest, see README)"
                : "JVM signal handlers unguarded (" + unavailable + "; preload libjsig, see README)";
    }

    /** Whether {@link #install()} succeeded; otherwise {@link #unavailable()} says why. */
    static boolean active() {
        return xfsz != null;
    }

    /** Why the guard is inactive, or null when it is active. */
    static String unavailable() {
        return unavailable;
    }

    /** Signals raised by {@link #restore()} so far. */
    static long raised() {
        return RAISED.get();
    }

    /**
     * Raised signals that reached the Java handler so far (asynchronously, on a thread of the JVM's signal
     * dispatcher); the others were consumed by foreign handlers, each of which then put the JVM's handlers back.
     */
    static long handled() {
        return HANDLED.get();
    }
}
