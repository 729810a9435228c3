package io.tessera.slide;

/**
 * The two loops SLIDE spends its time in, over rows of row-major matrices: with the JDK's Vector API when
 * {@code jdk.incubator.vector} is present (as {@code ./tessera} runs), else plain loops. Chosen once, when this class
 * loads; {@code -Dtessera.slide.vector=false} forces the plain loops.
 */
final class Vectors {
    /** The row operations, plain or vectorised. */
    interface RowMath {
        float dot(float[] a, int ao, float[] b, int bo, int n);

        void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

        /**
         * Adam on {@code n} elements: {@code m = b1 m + a1 g}, {@code v = b2 v + a2 g^2},
         * {@code w -= size * m / (sqrt(v) / root + eps)}, moments at {@code mo}, weights at {@code wo}, gradient at
         * {@code go}.
         */
        void adam(float[] w, int wo, float[] g, int go, float[] m, float[] v, int mo, int n, float b1, float a1, float b2,
                  float a2, float size, float root, float eps);
    }

    private static final RowMath MATH = choose();

    private Vectors() {
    }

    private static RowMath choose() {
        if (!"false".equalsIgnoreCase(System.getProperty("tessera.slide.vector"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (RowMath) Class.forName("io.tessera.slide.VectorRowMath").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                System.getLogger(Vectors.class.getName()).log(System.Logger.Level.DEBUG, "Vector API unavailable for SLIDE", e);
            }
        }
        return new PlainRowMath();
    }

    /** Whether the Vector API path is in use. */
    static boolean vectorised() {
        return !(MATH instanceof PlainRowMath);
    }

    /** {@code sum_i a[ao + i] * b[bo + i]}. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return MATH.dot(a, ao, b, bo, n);
    }

    /** {@code y[yo + i] += alpha * x[xo + i]}. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        MATH.axpy(alpha, x, xo, y, yo, n);
    }

    /** One Adam update of a row; see {@link RowMath#adam}. */
    static void adam(float[] w, int wo, float[] g, int go, float[] m, float[] v, int mo, int n, float b1, float a1, float b2,
                     float a2, float size, float root, float eps) {
        MATH.adam(w, wo, g, go, m, v, mo, n, b1, a1, b2, a2, size, root, eps);
    }

    /** Plain loops; the dot product keeps four partial sums so it is not one long dependency chain. */
    static final class PlainRowMath implements RowMath {
        @Override
        public float dot(float[] a, int ao, float[] b, int bo, int n) {
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += a[ao + i] * b[bo + i];
                s1 += a[ao + i + 1] * b[bo + i + 1];
                s2 += a[ao + i + 2] * b[bo + i + 2];
                s3 += a[ao + i + 3] * b[bo + i + 3];
            }
            for (; i < n; i++) {
                s0 += a[ao + i] * b[bo + i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
            for (int i = 0; i < n; i++) {
                y[yo + i] += alpha * x[xo + i];
            }
        }

        @Override
        public void adam(float[] w, int wo, float[] g, int go, float[] m, float[] v, int mo, int n, float b1, float a1,
                         float b2, float a2, float size, float root, float eps) {
            for (int i = 0; i < n; i++) {
                float gi = g[go + i];
                float mi = b1 * m[mo + i] + a1 * gi;
                float vi = b2 * v[mo + i] + a2 * gi * gi;
                m[mo + i] = mi;
                v[mo + i] = vi;
                w[wo + i] -= size * mi / ((float) Math.sqrt(vi) / root + eps);
            }
        }
    }
}
